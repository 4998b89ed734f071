using InclusionMap.Core.Places;
using InclusionMap.Core.Territories;
using InclusionMap.Data.Analysis;
using InclusionMap.Testing;
using NetTopologySuite.Geometries;

namespace InclusionMap.Data.Tests;

/// <summary>
/// A fixture small enough to check by hand: three communes on the meridian 2°E (A at 46.0°N, B at 46.1°N, C at 46.3°N,
/// with 100, 300 and 50 people in need) and one site at A open 15 hours a week.
/// </summary>
public sealed class CoverageFixtureTests : IAsyncLifetime
{
    private readonly EmptyCatalogue _catalogue = new();

    // One tenth of a degree of latitude on PostGIS's sphere (mean radius 6,371,008.771415 m): 11,119.49 m.
    private const double TenthOfADegree = 6_371_008.771415 * Math.PI / 1800;

    public async Task InitializeAsync()
    {
        await _catalogue.InitializeAsync();
        await using var db = _catalogue.CreateContext();
        var factory = new GeometryFactory(new PrecisionModel(), 4326);
        db.Departements.Add(new Departement { Code = "99", Nom = "Fixture", RegionCode = "99", Zone = "metro" });
        Commune Commune(string code, double latitude, double need) => new()
        {
            Code = code, Nom = "Commune " + code, DepartementCode = "99", RegionCode = "99", Population = (int)(need * 6),
            Centre = factory.CreatePoint(new Coordinate(2.0, latitude)), PeopleInNeed = need,
        };
        db.Communes.AddRange(Commune("99001", 46.0, 100), Commune("99002", 46.1, 300), Commune("99003", 46.3, 50));
        db.Sites.Add(new Site
        {
            Pivot = "00000000000000", Nom = "Lieu A", CommuneName = "Commune 99001", CodePostal = "99000", Adresse = "1 place A",
            Location = factory.CreatePoint(new Coordinate(2.0, 46.0)), CommuneCode = "99001", DepartementCode = "99",
            Horaires = "Mo-Fr 09:00-12:00", DateMaj = new DateOnly(2026, 1, 1), CreatedAt = DateTimeOffset.UtcNow,
            UpdatedAt = DateTimeOffset.UtcNow,
        });
        await db.SaveChangesAsync();
    }

    public Task DisposeAsync() => _catalogue.DisposeAsync();

    [Fact]
    public async Task Distances_e2sfca_summary_and_greedy_choice_are_the_hand_computed_ones()
    {
        var result = await new CoverageAnalysis(_catalogue.DataSource)
            .RunAsync(new CoverageRequest { DepartementCode = "99", Suggestions = 3 });
        var (a, b, c) = (result.Communes[0], result.Communes[1], result.Communes[2]);

        // Distances to the one site: 0, 0.1° and 0.3° of latitude.
        Assert.Equal(0, a.NearestDistanceMeters!.Value, 3);
        Assert.Equal(TenthOfADegree, b.NearestDistanceMeters!.Value, 1);
        Assert.Equal(3 * TenthOfADegree, c.NearestDistanceMeters!.Value, 1);
        Assert.Equal((false, true, true), (a.Beyond, b.Beyond, c.Beyond));

        // E2SFCA: supply 15 h/week; A at 0 m weighs 1, B at 11.1 km weighs 1/3, C at 33 km is out of the 20 km catchment.
        // R = 15 / (1·100 + 1/3·300) = 0.075 h per person in need; per 1,000: A 75, B 25, C 0.
        Assert.Equal(75, a.Accessibility, 9);
        Assert.Equal(25, b.Accessibility, 9);
        Assert.Equal(0, c.Accessibility);

        // Summary: 450 in need, 350 beyond 10 km, one site, weighted median distance = B's (100 below, 300 at, 50 above).
        Assert.Equal(450, result.Summary.PeopleInNeed, 9);
        Assert.Equal(350, result.Summary.PeopleInNeedBeyond, 9);
        Assert.Equal(350.0 / 450, result.Summary.ShareBeyond, 9);
        Assert.Equal(1, result.Summary.Sites);
        Assert.Equal(10_000.0 / 450, result.Summary.SitesPer10000InNeed, 9);
        Assert.Equal(TenthOfADegree, result.Summary.MedianDistanceMeters, 1);
        Assert.Equal(["99002", "99003"], result.Gaps.Select(g => g.Code));

        // Greedy: a site at B covers B only (300), then one at C covers C (50); nothing is left for a third.
        Assert.Equal(["99002", "99003"], result.Suggestions.Select(s => s.CommuneCode));
        Assert.Equal([300.0, 50.0], result.Suggestions.Select(s => s.NewlyCovered));
        Assert.Equal(450, result.Summary.CoveredAfter, 9);
    }

    [Fact]
    public async Task A_larger_distance_covers_b_and_leaves_only_c()
    {
        var result = await new CoverageAnalysis(_catalogue.DataSource)
            .RunAsync(new CoverageRequest { DepartementCode = "99", ThresholdMeters = 12_000, Suggestions = 1 });
        Assert.Equal(["99003"], result.Gaps.Select(g => g.Code));
        Assert.Equal(50, result.Summary.PeopleInNeedBeyond, 9);
        // B (at 0.2° from C) does not reach C within 12 km: the only useful new site is at C itself.
        Assert.Equal("99003", Assert.Single(result.Suggestions).CommuneCode);
    }
}
