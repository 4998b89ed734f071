using System.Net;
using System.Net.Http.Headers;
using InclusionMap.Testing;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.IO.VectorTiles;
using NetTopologySuite.IO.VectorTiles.Mapbox;

namespace InclusionMap.Server.Tests.Tiles;

public sealed class TilesTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    /// <summary>
    /// XYZ tile coordinates (fractional) of a WGS84 point: the standard Web Mercator tile math, written out here independently
    /// of PostGIS.
    /// </summary>
    private static (double X, double Y) TileXY(double lon, double lat, int z)
    {
        var n = Math.Pow(2, z);
        var latRad = lat * Math.PI / 180;
        return ((lon + 180) / 360 * n, (1 - Math.Log(Math.Tan(latRad) + 1 / Math.Cos(latRad)) / Math.PI) / 2 * n);
    }

    private async Task<(HttpResponseMessage Response, VectorTile Tile)> GetTileAsync(string path, int z, int x, int y)
    {
        var response = await server.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.mapbox-vector-tile", response.Content.Headers.ContentType?.MediaType);
        await using var stream = await response.Content.ReadAsStreamAsync();
        var tile = new MapboxTileReader().Read(stream, new NetTopologySuite.IO.VectorTiles.Tiles.Tile(x, y, z));
        return (response, tile);
    }

    private async Task<List<(long Id, double Lon, double Lat)>> AllSitesAsync()
    {
        await using var db = CatalogueDatabaseFor(server);
        return (await db.Sites.Where(s => s.Location != null).Select(s => new { s.Id, s.Longitude, s.Latitude }).ToListAsync())
            .Select(s => (s.Id, s.Longitude!.Value, s.Latitude!.Value)).ToList();
    }

    private static Data.CatalogueDbContext CatalogueDatabaseFor(ServerFixture s) => Data.CatalogueDatabase.CreateContext(s.DataSource);

    [Fact]
    public async Task A_detailed_sites_tile_holds_exactly_the_sites_inside_it_and_its_buffer_at_their_positions()
    {
        // Guéret (Creuse) at zoom 12.
        const int z = 12;
        var (fx, fy) = TileXY(1.8717, 46.1703, z);
        var (x, y) = ((int)fx, (int)fy);
        var (_, tile) = await GetTileAsync($"/tiles/sites/{z}/{x}/{y}.mvt", z, x, y);

        const double buffer = 256.0 / 4096; // the tile keeps points up to this fraction of a tile outside its edges
        var expected = (await AllSitesAsync()).Where(s =>
        {
            var (sx, sy) = TileXY(s.Lon, s.Lat, z);
            return sx >= x - buffer && sx <= x + 1 + buffer && sy >= y - buffer && sy <= y + 1 + buffer;
        }).ToDictionary(s => s.Id);
        Assert.True(expected.Count >= 3, $"expected several sites around Guéret, found {expected.Count}");

        var layer = Assert.Single(tile.Layers);
        Assert.Equal("sites", layer.Name);
        var features = layer.Features.ToDictionary(f => Convert.ToInt64(f.Attributes["id"]));
        Assert.Equal(expected.Keys.Order(), features.Keys.Order());
        var precision = 360 / Math.Pow(2, z) / 4096 * 2; // two grid units of the tile
        foreach (var (id, f) in features)
        {
            Assert.Equal(expected[id].Lon, f.Geometry.Coordinate.X, precision);
            Assert.Equal(expected[id].Lat, f.Geometry.Coordinate.Y, precision);
            Assert.Equal(1L, Convert.ToInt64(f.Attributes["count"]));
        }
    }

    [Fact]
    public async Task A_low_zoom_sites_tile_groups_sites_and_the_counts_add_up_to_the_sites_inside_the_tile()
    {
        const int z = 6;
        var (fx, fy) = TileXY(1.8717, 46.1703, z);
        var (x, y) = ((int)fx, (int)fy);
        var (_, tile) = await GetTileAsync($"/tiles/sites/{z}/{x}/{y}.mvt", z, x, y);
        var inside = (await AllSitesAsync()).Count(s =>
        {
            var (sx, sy) = TileXY(s.Lon, s.Lat, z);
            return sx >= x && sx < x + 1 && sy >= y && sy < y + 1;
        });
        var features = Assert.Single(tile.Layers).Features.ToList();
        Assert.Equal(inside, features.Sum(f => Convert.ToInt64(f.Attributes["count"])));
        Assert.True(features.Count < inside, "sites must be grouped at low zoom");
        Assert.All(features.Where(f => Convert.ToInt64(f.Attributes["count"]) > 1), f => Assert.False(f.Attributes.Exists("id")));
    }

    [Fact]
    public async Task A_communes_tile_of_a_departement_holds_its_communes_that_touch_the_tile()
    {
        const int z = 8;
        var (fx, fy) = TileXY(1.8717, 46.1703, z);
        var (x, y) = ((int)fx, (int)fy);
        var (_, tile) = await GetTileAsync($"/tiles/communes/{z}/{x}/{y}.mvt?departement=23", z, x, y);
        var layer = Assert.Single(tile.Layers);
        Assert.Equal("communes", layer.Name);
        var codes = layer.Features.Select(f => (string)f.Attributes["code"]).ToHashSet();
        Assert.All(codes, c => Assert.StartsWith("23", c));

        await using var db = CatalogueDatabaseFor(server);
        var expected = await db.Database.SqlQueryRaw<string>(
            "SELECT code AS \"Value\" FROM communes WHERE departement_code = '23' "
            + "AND ST_Intersects(ST_Transform(geometry, 3857), ST_TileEnvelope({0}, {1}, {2}))",
            z, x, y).ToListAsync();
        Assert.Equal(expected.Order(), codes.Order());
        var gueret = layer.Features.Single(f => (string)f.Attributes["code"] == "23096");
        Assert.Equal("Guéret", gueret.Attributes["nom"]);
        Assert.Equal(12955L, Convert.ToInt64(gueret.Attributes["population"]));
        // The coordinators' map layers: our estimate and La Mednum's IFN score, side by side.
        Assert.Equal(Math.Round(await server.ScalarAsync<double>("SELECT ifn_total FROM communes WHERE code = '23096'"), 2),
            Convert.ToDouble(gueret.Attributes["ifn"]), 9);
        Assert.Equal(Math.Round(await server.ScalarAsync<double>("SELECT illectronism_rate FROM communes WHERE code = '23096'"), 4),
            Convert.ToDouble(gueret.Attributes["illectronism"]), 9);
    }

    [Fact]
    public async Task Commune_shapes_get_simpler_at_each_lower_zoom_band_and_a_national_tile_stays_small()
    {
        var points = new List<long>();
        for (var level = 0; level <= 3; level++)
            points.Add(await server.ScalarAsync<long>("SELECT sum(ST_NPoints(geom)) FROM commune_shapes WHERE level = $1", level));
        Assert.True(points[0] < points[1] && points[1] < points[2] && points[2] < points[3], string.Join(" < ", points));

        // Zoom 5 over central France holds thousands of communes.
        var (fx, fy) = TileXY(2.5, 46.5, 5);
        var response = await server.Client.GetAsync($"/tiles/communes/5/{(int)fx}/{(int)fy}.mvt");
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.InRange(bytes.Length, 10_000, 2_000_000);
    }

    [Fact]
    public async Task A_tile_with_nothing_in_it_is_a_valid_empty_tile()
    {
        // Mid-Pacific, zoom 10.
        var (fx, fy) = TileXY(-150, 0, 10);
        var (response, tile) = await GetTileAsync($"/tiles/sites/10/{(int)fx}/{(int)fy}.mvt", 10, (int)fx, (int)fy);
        Assert.Empty(tile.Layers);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("/tiles/sites/23/0/0.mvt", "z must be")]
    [InlineData("/tiles/sites/3/8/0.mvt", "x must be")]
    [InlineData("/tiles/sites/3/0/8.mvt", "y must be")]
    [InlineData("/tiles/sites/3/-1/0.mvt", "x must be")]
    [InlineData("/tiles/communes/a/0/0.mvt", "z must be")]
    [InlineData("/tiles/communes/4/1.5/0.mvt", "x must be")]
    [InlineData("/tiles/communes/6/32/22.mvt?departement=23;drop", "departement must be")]
    public async Task Bad_tile_addresses_are_400_with_a_reason(string path, string reason)
    {
        var response = await server.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reason, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Tiles_carry_cache_headers_and_answer_304_to_a_matching_etag()
    {
        var first = await server.Client.GetAsync("/tiles/sites/8/129/90.mvt");
        Assert.Equal("public, max-age=300", first.Headers.CacheControl?.ToString());
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/tiles/sites/8/129/90.mvt");
        request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue(etag!.Tag));
        var second = await server.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Equal("*", first.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }
}
