using InclusionMap.Testing;

namespace InclusionMap.Data.Tests;

/// <summary>
/// An import leaves the sites stored in spatial order (<see cref="CatalogueDatabase.ClusterSitesSql"/>), and no index of its own behind.
/// </summary>
public sealed class SpatialOrderTests : IAsyncLifetime
{
    private readonly SeededCatalogue _catalogue = new();

    public Task InitializeAsync() => _catalogue.InitializeAsync();

    public Task DisposeAsync() => _catalogue.DisposeAsync();

    /// <summary>Distinct heap pages holding the 10 sites nearest to each of 300 commune centres, on average.</summary>
    private static string PagesPerNearest10(string table) => $"""
        SELECT avg(pages)::float8 FROM (
          SELECT (SELECT count(DISTINCT (t.ctid::text::point)[0]) FROM {table} t
                   WHERE t.id IN (SELECT id FROM {table} WHERE location IS NOT NULL
                                   ORDER BY location <-> c.centre::geography LIMIT 10)) AS pages
            FROM communes c WHERE c.centre IS NOT NULL ORDER BY md5(c.code) LIMIT 300) AS p
        """;

    [Fact]
    public async Task The_seeded_catalogue_is_stored_in_spatial_order_and_its_nearest_sites_share_pages()
    {
        Assert.Equal(0L, await _catalogue.ScalarAsync<long>("SELECT count(*) FROM pg_indexes WHERE indexname = 'ix_sites_geohash_order'"));

        // The same rows stored in id order, the order an import writes them in, with the same index.
        await _catalogue.ScalarAsync<int>("""
            CREATE TABLE sites_by_id AS SELECT * FROM sites ORDER BY id;
            CREATE INDEX ON sites_by_id USING gist (location);
            ANALYZE sites_by_id;
            SELECT 0
            """);
        var clustered = await _catalogue.ScalarAsync<double>(PagesPerNearest10("sites"));
        var byId = await _catalogue.ScalarAsync<double>(PagesPerNearest10("sites_by_id"));
        Assert.True(clustered < byId / 1.5, $"nearest 10 span {clustered:0.00} heap pages in spatial order, {byId:0.00} in id order");
    }
}
