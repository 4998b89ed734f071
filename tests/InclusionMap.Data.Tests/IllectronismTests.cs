using System.Globalization;
using InclusionMap.Core;
using InclusionMap.Core.Illectronism;
using InclusionMap.Testing;

namespace InclusionMap.Data.Tests;

/// <summary>
/// The illectronism estimate on every real commune (the territories template ran the estimator at the end of its import):
/// the calibration targets and published gradients, checked with SQL over the stored estimates.
/// </summary>
public sealed class IllectronismTests : IAsyncLifetime
{
    private readonly TerritoriesCatalogue _catalogue = new();
    private static readonly IllectronismRates Rates = IllectronismRates.Published;

    public Task InitializeAsync() => _catalogue.InitializeAsync();

    public Task DisposeAsync() => _catalogue.DisposeAsync();

    private Task<double> RateAsync(string where) =>
        _catalogue.ScalarAsync<double>(
            $"SELECT sum(people_in_need) / sum(population_15_plus) FROM communes WHERE population_15_plus IS NOT NULL AND ({where})");

    [Fact]
    public async Task Every_commune_with_a_population_has_an_estimate_within_its_interval()
    {
        Assert.Equal(0L, await _catalogue.ScalarAsync<long>(
            "SELECT count(*) FROM communes WHERE population IS NOT NULL AND illectronism_rate IS NULL"));
        Assert.Equal(0L, await _catalogue.ScalarAsync<long>("""
            SELECT count(*) FROM communes WHERE illectronism_rate IS NOT NULL AND NOT (
              0 < illectronism_low AND illectronism_low <= illectronism_rate AND illectronism_rate <= illectronism_high
              AND illectronism_high < 1
              AND abs(people_in_need - population_15_plus * illectronism_rate) < 0.1 AND population_15_plus <= population)
            """));
    }

    [Fact]
    public async Task The_population_weighted_national_rate_is_the_published_figure()
    {
        Assert.Equal(Rates["national"] / 100, await RateAsync("true"), 4);
        // 15.4 % of about 56 million people aged 15+: some 8.7 million people.
        var people = await _catalogue.ScalarAsync<double>("SELECT sum(people_in_need) FROM communes");
        Assert.InRange(people, 8.0e6, 9.3e6);
    }

    [Fact]
    public async Task Territorial_and_overseas_gradients_reproduce_the_published_ratios()
    {
        var metro = await RateAsync("departement_code NOT LIKE '97%'");
        static void Close(double expected, double actual) =>
            Assert.True(Math.Abs(expected - actual) < 0.005, $"expected {expected:0.000}, got {actual:0.000}");
        Close(Rates["territory_rural_2019"] / Rates["metro_2019"],
            await RateAsync("territory_class = 'rural' AND departement_code NOT LIKE '97%'") / metro);
        Close(Rates["territory_small_poles_2019"] / Rates["metro_2019"],
            await RateAsync("territory_class = 'small-town' AND departement_code NOT LIKE '97%'") / metro);
        Close(Rates["territory_largest_cities_2019"] / Rates["metro_2019"],
            await RateAsync("territory_class = 'large-city' AND departement_code NOT LIKE '97%'") / metro);
        Close(Rates["dom_2021"] / Rates["metro_2021"], await RateAsync("departement_code LIKE '97%'") / metro);
    }

    [Theory]
    [InlineData("share_65_plus")]
    [InlineData("share_no_diploma")]
    [InlineData("share_living_alone")]
    public async Task Older_less_qualified_and_isolated_populations_come_out_higher(string indicator)
    {
        // Population-weighted rate of the communes in the top fifth of the indicator against the bottom fifth.
        var (top, bottom) = (await QuintileRateAsync(indicator, 5), await QuintileRateAsync(indicator, 1));
        Assert.True(top > bottom * 1.2, $"{indicator}: top fifth {top:P1}, bottom fifth {bottom:P1}");
    }

    private Task<double> QuintileRateAsync(string indicator, int quintile) => _catalogue.ScalarAsync<double>($"""
        WITH q AS (SELECT people_in_need, population_15_plus, ntile(5) OVER (ORDER BY {indicator}) AS n
                     FROM communes WHERE {indicator} IS NOT NULL AND population_15_plus > 0 AND departement_code NOT LIKE '97%')
        SELECT sum(people_in_need) / sum(population_15_plus) FROM q WHERE n = {quintile}
        """);

    [Fact]
    public async Task Creuse_is_above_the_national_rate_and_Rennes_below()
    {
        var national = Rates["national"] / 100;
        var creuse = await RateAsync("departement_code = '23'");
        var rennes = await _catalogue.ScalarAsync<double>("SELECT illectronism_rate FROM communes WHERE code = '35238'");
        var paris = await _catalogue.ScalarAsync<double>("SELECT illectronism_rate FROM communes WHERE code = '75056'");
        Assert.True(creuse > national * 1.3, $"Creuse {creuse:P1}");
        Assert.True(rennes < national, $"Rennes {rennes:P1}");
        Assert.True(paris < national, $"Paris {paris:P1}");
        Assert.True(creuse > rennes);
    }

    [Fact]
    public async Task The_ifn_overlay_is_stored_as_published_beside_our_estimate()
    {
        // Independent read of the published file: every current commune's total equals the file's value.
        var path = Directory.GetFiles(Path.Combine(TestCluster.DataDirectory, "ifn"), "ifn-city-*.csv").Single();
        var published = Csv.Read(new StreamReader(path)).Skip(1)
            .Where(r => double.TryParse(r.Fields[8], NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            .ToDictionary(r => r.Fields[2], r => double.Parse(r.Fields[8], CultureInfo.InvariantCulture));
        await using var db = _catalogue.CreateContext();
        var stored = db.Communes.Where(c => c.IfnTotal != null).Select(c => new { c.Code, c.IfnTotal }).ToList();
        Assert.True(stored.Count > 34_000);
        Assert.All(stored, c => Assert.Equal(published[c.Code], c.IfnTotal!.Value, 9));
        // An arrondissement's row does not become its commune's (the index is not additive).
        Assert.True(published.ContainsKey("75101"));
        Assert.Null(db.Communes.Where(c => c.Code == "75056").Select(c => c.IfnTotal).Single());
    }

    [Fact]
    public void The_rates_table_cites_a_source_for_every_published_figure()
    {
        Assert.All(Rates.Rows.Where(r => !r.Publication.StartsWith("InclusionMap assumption", StringComparison.Ordinal)), r =>
        {
            Assert.False(string.IsNullOrWhiteSpace(r.Publication), r.Key);
            Assert.StartsWith("https://", r.Url);
        });
    }
}
