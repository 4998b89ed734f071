using InclusionMap.Testing;

namespace InclusionMap.Client.Tests;

/// <summary>The client against the real server over real HTTP.</summary>
public sealed class ClientTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private InclusionMapClient Client => new(new HttpClient { BaseAddress = server.BaseAddress });

    [Fact]
    public async Task Nearest_sites_come_nearest_first_with_their_distances_like_sql()
    {
        var sites = await Client.NearestSitesAsync(46.1703, 1.8717, count: 5);
        Assert.Equal(5, sites.Count);
        var expected = await server.ScalarAsync<long>(
            "SELECT id FROM sites WHERE location IS NOT NULL ORDER BY ST_Distance(location, ST_SetSRID(ST_MakePoint(1.8717, 46.1703), 4326)::geography, false), id LIMIT 1");
        Assert.Equal(expected.ToString(System.Globalization.CultureInfo.InvariantCulture), sites[0].Site.Id);
        Assert.Equal(sites.Select(s => s.DistanceMeters).Order(), sites.Select(s => s.DistanceMeters));
        Assert.All(sites, s => Assert.False(string.IsNullOrEmpty(s.Site.Nom)));
    }

    [Fact]
    public async Task All_sites_of_a_departement_page_through_every_one_once()
    {
        var ids = new List<string>();
        await foreach (var site in Client.AllSitesAsync(new SiteQuery { DepartementCode = "13" })) ids.Add(site.Site.Id);
        Assert.Equal(await server.ScalarAsync<long>("SELECT count(*) FROM sites WHERE departement_code = '13'"), ids.Count);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.True(ids.Count > 100, "several pages");
    }

    [Fact]
    public async Task Filters_and_a_single_site_and_labels()
    {
        var page = await Client.SearchAsync(new SiteQuery { Latitude = 48.1173, Longitude = -1.6778, RadiusMeters = 20_000, Services = ["AIDE_AUX_DEMARCHES_ADMINISTRATIVES"] }, first: 10);
        Assert.NotEmpty(page.Sites);
        Assert.All(page.Sites, s => Assert.Contains("AIDE_AUX_DEMARCHES_ADMINISTRATIVES", s.Site.Services));
        Assert.All(page.Sites, s => Assert.InRange(s.DistanceMeters!.Value, 0, 20_000));
        var one = await Client.SiteAsync(page.Sites[0].Site.Id);
        Assert.Equivalent(page.Sites[0].Site, one, strict: true);
        Assert.Null(await Client.SiteAsync("987654321"));
        var labels = await Client.VocabularyAsync("services");
        Assert.Equal("Aide aux démarches administratives", labels["AIDE_AUX_DEMARCHES_ADMINISTRATIVES"]);
    }

    [Fact]
    public async Task Errors_become_exceptions_carrying_the_api_codes()
    {
        var tooMany = await Assert.ThrowsAsync<InclusionMapException>(() => Client.NearestSitesAsync(46, 2, count: 500));
        Assert.Equal(["PAGE_SIZE_EXCEEDED"], tooMany.Codes);
        var tooFar = await Assert.ThrowsAsync<InclusionMapException>(() => Client.NearestSitesAsync(46, 2, radiusMeters: 250_000));
        Assert.Equal(["RADIUS_TOO_LARGE"], tooFar.Codes);
        var invalid = await Assert.ThrowsAsync<InclusionMapException>(() => Client.QueryAsync<object>("{ nope }"));
        Assert.Equal(400, invalid.StatusCode);
        Assert.NotEmpty(invalid.Codes);
    }
}
