using InclusionMap.Core.Schema;
using InclusionMap.Data.Analysis;
using InclusionMap.Testing;
using Npgsql;

namespace InclusionMap.Data.Tests;

/// <summary>The coverage-gap analysis on the real catalogue (Creuse), checked against independent brute-force SQL.</summary>
public sealed class CoverageAnalysisTests : IAsyncLifetime
{
    private readonly SeededCatalogue _catalogue = new();

    public Task InitializeAsync() => _catalogue.InitializeAsync();

    public Task DisposeAsync() => _catalogue.DisposeAsync();

    private Task<CoverageResult> RunAsync(CoverageRequest request) => new CoverageAnalysis(_catalogue.DataSource).RunAsync(request);

    [Fact]
    public async Task Nearest_distances_equal_a_brute_force_minimum_over_every_site()
    {
        var result = await RunAsync(new CoverageRequest { DepartementCode = "23" });
        Assert.Equal(await _catalogue.ScalarAsync<long>("SELECT count(*) FROM communes WHERE departement_code = '23'"),
            result.Communes.Count);
        await using var connection = await _catalogue.DataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand("""
            SELECT c.code, (SELECT min(ST_Distance(s.location, c.centre::geography, false)) FROM sites s WHERE s.location IS NOT NULL)
              FROM communes c WHERE c.departement_code = '23'
            """, connection);
        // Brute force: no ORDER BY, no index, the minimum great-circle distance over every site of France.
        await using var reader = await command.ExecuteReaderAsync();
        var expected = new Dictionary<string, double>();
        while (await reader.ReadAsync()) expected[reader.GetString(0)] = reader.GetDouble(1);
        Assert.All(result.Communes, c =>
        {
            Assert.Equal(expected[c.Code], c.NearestDistanceMeters!.Value, 3);
            Assert.Equal(c.NearestDistanceMeters > result.Request.ThresholdMeters, c.Beyond);
        });
    }

    [Fact]
    public async Task The_whole_country_finds_every_communes_nearest_site_within_the_catchment_or_by_knn_beyond_it()
    {
        var result = await RunAsync(new CoverageRequest { WholeCountry = true, Suggestions = 2 });
        Assert.Equal(await _catalogue.ScalarAsync<long>("SELECT count(*) FROM communes WHERE centre IS NOT NULL"), result.Communes.Count);
        Assert.All(result.Communes, c => Assert.NotNull(c.NearestDistanceMeters));
        // Nearest sites come from the catchment pairs (20 km); the few communes with none in reach go through the KNN.
        var far = result.Communes.Where(c => c.NearestDistanceMeters > 20_000).Select(c => c.Code).ToList();
        Assert.NotEmpty(far);
        var sample = far.Concat(result.Communes.Where((_, i) => i % 151 == 0).Select(c => c.Code)).Distinct().ToArray();
        await using var connection = await _catalogue.DataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand("""
            SELECT c.code, (SELECT min(ST_Distance(s.location, c.centre::geography, false)) FROM sites s WHERE s.location IS NOT NULL)
              FROM communes c WHERE c.code = ANY($1)
            """, connection);
        command.Parameters.Add(new() { Value = sample });
        await using var reader = await command.ExecuteReaderAsync();
        var byCode = result.Communes.ToDictionary(c => c.Code);
        var checkedCount = 0;
        while (await reader.ReadAsync())
        {
            Assert.Equal(reader.GetDouble(1), byCode[reader.GetString(0)].NearestDistanceMeters!.Value, 3);
            checkedCount++;
        }
        Assert.Equal(sample.Length, checkedCount);
        Assert.Equal(
            await _catalogue.ScalarAsync<long>("SELECT count(*) FROM sites WHERE commune_code IS NOT NULL AND location IS NOT NULL"),
            result.Summary.Sites);
        Assert.Equal(2, result.Suggestions.Count);
    }

    [Fact]
    public async Task The_summary_and_ranked_gaps_add_up_to_the_stored_estimates()
    {
        var result = await RunAsync(new CoverageRequest { DepartementCode = "23", ThresholdMeters = 8_000 });
        var need = await _catalogue.ScalarAsync<double>("SELECT sum(people_in_need) FROM communes WHERE departement_code = '23'");
        Assert.Equal(need, result.Summary.PeopleInNeed, 3);
        Assert.Equal(result.Communes.Where(c => c.Beyond).Sum(c => c.PeopleInNeed), result.Summary.PeopleInNeedBeyond, 6);
        Assert.Equal(result.Summary.PeopleInNeedBeyond / need, result.Summary.ShareBeyond, 9);
        Assert.Equal(await _catalogue.ScalarAsync<long>(
                "SELECT count(*) FROM sites WHERE commune_code IN (SELECT code FROM communes WHERE departement_code = '23')"),
            result.Summary.Sites);
        // Gaps: beyond the threshold, most people in need first.
        Assert.NotEmpty(result.Gaps);
        Assert.All(result.Gaps, g => Assert.True(g.Beyond));
        Assert.Equal(result.Gaps.OrderByDescending(g => g.PeopleInNeed).Select(g => g.Code), result.Gaps.Select(g => g.Code));
        // A wider threshold never leaves more people far from help.
        var wider = await RunAsync(new CoverageRequest { DepartementCode = "23", ThresholdMeters = 15_000 });
        Assert.True(wider.Summary.PeopleInNeedBeyond < result.Summary.PeopleInNeedBeyond);
    }

    [Fact]
    public async Task The_first_suggestion_is_the_best_single_site_by_brute_force()
    {
        var result = await RunAsync(new CoverageRequest { DepartementCode = "23", Suggestions = 3 });
        // Independent: for every candidate commune, the people in need of the uncovered communes within 10 km.
        var best = await _catalogue.ScalarAsync<double>("""
            WITH c AS (SELECT code, centre, people_in_need FROM communes WHERE departement_code = '23'),
                 uncovered AS (SELECT c.* FROM c WHERE NOT EXISTS (
                   SELECT 1 FROM sites s WHERE ST_Distance(s.location, c.centre::geography, false) <= 10000))
            SELECT max(gain) FROM (SELECT a.code, sum(u.people_in_need) AS gain FROM c a JOIN uncovered u
                                     ON ST_Distance(a.centre::geography, u.centre::geography, false) <= 10000 GROUP BY a.code) g
            """);
        Assert.Equal(best, result.Suggestions[0].NewlyCovered, 3);
        Assert.Equal(3, result.Suggestions.Count);
        Assert.True(result.Suggestions[0].NewlyCovered >= result.Suggestions[1].NewlyCovered);
        Assert.Equal(result.Summary.CoveredBefore + result.Suggestions.Sum(s => s.NewlyCovered), result.Summary.CoveredAfter, 3);
    }

    [Fact]
    public async Task Choosing_the_help_that_counts_changes_who_is_far_from_it()
    {
        var all = await RunAsync(new CoverageRequest { DepartementCode = "23" });
        var admin = await RunAsync(new CoverageRequest { DepartementCode = "23", Services = [Service.AideAuxDemarchesAdministratives] });
        Assert.True(admin.Summary.Sites <= all.Summary.Sites);
        Assert.True(admin.Summary.PeopleInNeedBeyond >= all.Summary.PeopleInNeedBeyond);
        // Every nearest site of the filtered run offers the service.
        var ids = admin.Communes.Select(c => c.NearestSiteId!.Value).Distinct().ToArray();
        Assert.Equal(0L, await _catalogue.ScalarAsync<long>(
            "SELECT count(*) FROM sites WHERE id = ANY($1) AND NOT ('Aide aux démarches administratives' = ANY(services))", ids));
    }

    [Fact]
    public async Task Counting_only_national_programmes_keeps_their_sites_and_brute_force_nearest_distances()
    {
        // Charente: about half of its places are France Services.
        var all = await RunAsync(new CoverageRequest { DepartementCode = "16" });
        var result = await RunAsync(new CoverageRequest
        {
            DepartementCode = "16", Programmes = [DispositifProgrammeNational.FranceServices, DispositifProgrammeNational.PromeneursDuNet],
        });
        const string matching =
            "('France Services' = ANY(s.dispositif_programmes_nationaux) OR 'Promeneurs du net' = ANY(s.dispositif_programmes_nationaux))";
        Assert.Equal(await _catalogue.ScalarAsync<long>(
                $"SELECT count(*) FROM sites s WHERE s.departement_code = '16' AND s.location IS NOT NULL AND {matching}"),
            result.Summary.Sites);
        Assert.True(result.Summary.Sites < all.Summary.Sites);
        await using var connection = await _catalogue.DataSource.OpenConnectionAsync();
        // Brute force: the minimum great-circle distance over every matching site, no index.
        await using var command = new NpgsqlCommand(
            "SELECT c.code, (SELECT min(ST_Distance(s.location, c.centre::geography, false)) FROM sites s WHERE s.location IS NOT NULL AND "
            + matching + ") FROM communes c WHERE c.departement_code = '16'", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var expected = new Dictionary<string, double>();
        while (await reader.ReadAsync()) expected[reader.GetString(0)] = reader.GetDouble(1);
        Assert.All(result.Communes, c => Assert.Equal(expected[c.Code], c.NearestDistanceMeters!.Value, 3));
    }

    [Fact]
    public async Task Accessibility_is_positive_where_a_site_is_in_reach_and_zero_where_none_is()
    {
        var result = await RunAsync(new CoverageRequest { DepartementCode = "23" });
        Assert.All(result.Communes, c =>
        {
            if (c.NearestDistanceMeters <= 20_000 && c.PeopleInNeed > 0) Assert.True(c.Accessibility > 0, c.Code);
            if (c.NearestDistanceMeters > 20_000) Assert.Equal(0, c.Accessibility);
        });
    }

    [Fact]
    public async Task The_queries_use_the_spatial_indexes()
    {
        await using var connection = await _catalogue.DataSource.OpenConnectionAsync();
        async Task<string> PlanAsync(string sql, params NpgsqlParameter[] parameters)
        {
            await using var command = new NpgsqlCommand("EXPLAIN " + sql, connection);
            command.Parameters.AddRange(parameters);
            var lines = new List<string>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) lines.Add(reader.GetString(0));
            return string.Join('\n', lines);
        }
        static NpgsqlParameter NoList() =>
            new() { Value = DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text };
        Assert.Contains("<->", CoverageAnalysis.NearestSiteSql);
        Assert.Contains("ST_DWithin", CoverageAnalysis.CatchmentSql);
        var creuse = (await RunAsync(new CoverageRequest { DepartementCode = "23", Suggestions = 0 }))
            .Communes.Select(c => c.Code).ToArray();
        var nearest = await PlanAsync(CoverageAnalysis.NearestSiteSql,
            new() { Value = DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text }, NoList(), NoList(), NoList(),
            new() { Value = creuse }, NoList());
        Assert.Contains("Index Scan using ix_sites_location", nearest);
        Assert.Contains("Order By: (location <-> ", nearest);
        Assert.DoesNotContain("Seq Scan on sites", nearest);
        var catchment = await PlanAsync(CoverageAnalysis.CatchmentSql,
            new() { Value = DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text }, NoList(), NoList(), NoList(), NoList(),
            NoList(), new() { Value = 20_000.0 }, new() { Value = creuse });
        // Sites in reach through the sites' index, communes in reach of those sites through the centres' geography index.
        Assert.Contains("Index Scan using ix_sites_location", catchment);
        Assert.Contains("Index Scan using ix_communes_centre_geography", catchment);
    }

    [Theory]
    [InlineData(null, 10_000.0, 3)]
    [InlineData("23", 0.0, 3)]
    [InlineData("23", 150_000.0, 3)]
    [InlineData("23", 10_000.0, 50)]
    [InlineData("ZZ", 10_000.0, 3)]
    public async Task Requests_out_of_bounds_are_refused_with_a_reason(string? departement, double threshold, int suggestions)
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(() =>
            RunAsync(new CoverageRequest { DepartementCode = departement, ThresholdMeters = threshold, Suggestions = suggestions }));
        Assert.False(string.IsNullOrWhiteSpace(e.Message));
    }
}
