using System.Globalization;

namespace InclusionMap.Server.Tests.OData;

/// <summary>
/// geo.distance and geo.intersects against independent SQL (ST_Distance, ST_Intersects written by hand), and the SQL
/// the service generates: the index operators are there, and EXPLAIN shows the GiST indexes can serve them.
/// </summary>
public sealed class SpatialQueryTests(ODataServerFixture server) : IClassFixture<ODataServerFixture>
{
    private const double Lon = 1.8717, Lat = 46.1703; // Guéret
    private static readonly string Point =
        $"geography'SRID=4326;POINT({Lon.ToString(CultureInfo.InvariantCulture)} {Lat.ToString(CultureInfo.InvariantCulture)})'";
    // A rough quadrilateral around Limoges (lon lat).
    private const string LimogesWkt = "POLYGON((1.10 45.70, 1.45 45.70, 1.45 45.95, 1.10 45.95, 1.10 45.70))";

    private Task<long> CountAsync(string sql, params object[] args) => server.ScalarAsync<long>(sql, args);

    [Theory]
    [InlineData(5000)]
    [InlineData(25000)]
    [InlineData(100000)]
    public async Task Radius_counts_equal_an_independent_ST_Distance(double radius)
    {
        server.Sql.Drain();
        var body = await server.JsonAsync($"/odata/Sites?$filter=geo.distance(Location, {Point}) le {radius}&$count=true&$top=0");
        var expected = await CountAsync(
            "SELECT count(*) FROM sites WHERE ST_Distance(location, ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography, false) <= $3",
            Lon, Lat, radius);
        Assert.Equal(expected, body["@odata.count"]!.GetValue<long>());
        var count = Assert.Single(server.Sql.Drain(), c => c.Text.Contains("count(*)", StringComparison.Ordinal));
        Assert.Contains("ST_DWithin(s.location, @", count.Text);
        Assert.DoesNotContain(Lon.ToString(CultureInfo.InvariantCulture), count.Text); // the point is a parameter
        Assert.DoesNotContain(radius.ToString(CultureInfo.InvariantCulture), count.Text);
        var plan = await server.ExplainAsync(count, disableSeqScan: true);
        Assert.Contains("ix_sites_location", plan);
    }

    [Fact]
    public async Task A_computed_distance_equals_ST_Distance_and_ties_come_by_id()
    {
        server.Sql.Drain();
        var body = await server.JsonAsync($"/odata/Sites?$orderby=geo.distance(Location, {Point})&$top=20"
            + $"&$compute=geo.distance(Location, {Point}) as Distance&$select=Id,Distance");
        var rows = body["value"]!.AsArray();
        Assert.Equal(20, rows.Count);
        Assert.Null(body["@odata.nextLink"]);

        await using var command = server.DataSource.CreateCommand(
            "SELECT id, ST_Distance(location, ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography, false) d FROM sites "
            + "WHERE location IS NOT NULL ORDER BY d, id LIMIT 20");
        command.Parameters.Add(new() { Value = Lon });
        command.Parameters.Add(new() { Value = Lat });
        var reference = new List<(long Id, double Distance)>();
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync()) reference.Add((reader.GetInt64(0), reader.GetDouble(1)));
        for (var i = 0; i < 20; i++)
        {
            var distance = rows[i]!["Distance"]!.GetValue<double>();
            Assert.Equal(reference[i].Distance, distance, 3);
        }
        Assert.Equal(reference.Select(r => r.Id).Order(), rows.Select(r => r!["Id"]!.GetValue<long>()).Order());

        // The general path completes the distance order with the key, as every search of the catalogue breaks ties by id.
        var page = Assert.Single(server.Sql.Drain(), c => c.Text.Contains("ORDER BY", StringComparison.Ordinal));
        Assert.Matches(@"ORDER BY s\.location <-> @\w+, s\.id\s*\n?\s*LIMIT", page.Text);
        Assert.Equal(reference.Select(r => r.Id), rows.Select(r => r!["Id"]!.GetValue<long>()));
    }

    [Fact]
    public async Task A_radius_beyond_the_limit_of_every_search_is_refused()
    {
        var body = await server.JsonAsync($"/odata/Sites?$filter=geo.distance(Location, {Point}) le 300000", 400);
        Assert.Equal("InvalidValue", body["error"]!["code"]!.GetValue<string>());
        Assert.Contains("100000 metres (100 km)", body["error"]!["message"]!.GetValue<string>());
    }
    [Fact]
    public async Task Paged_distance_order_appends_the_key()
    {
        server.Sql.Drain();
        var body = await server.JsonAsync($"/odata/Sites?$orderby=geo.distance(Location, {Point})&$select=Id");
        Assert.NotNull(body["@odata.nextLink"]);
        var page = Assert.Single(server.Sql.Drain(), c => c.Text.Contains("ORDER BY", StringComparison.Ordinal));
        Assert.Matches(@"ORDER BY s\.location <-> @\w+, s\.id", page.Text);
    }

    [Fact]
    public async Task Sites_in_a_polygon_equal_an_independent_ST_Intersects()
    {
        server.Sql.Drain();
        var wkt = LimogesWkt.Replace("POLYGON", "POLYGON", StringComparison.Ordinal);
        var body = await server.JsonAsync(
            $"/odata/Sites?$filter=geo.intersects(Location, geography'SRID=4326;{wkt}')&$count=true&$select=Id&$top=1000");
        var expected = await server.ScalarAsync<long[]>("SELECT coalesce(array_agg(id ORDER BY id), '{}') FROM sites "
            + "WHERE ST_Intersects(location_geometry, ST_GeomFromText($1, 4326))", LimogesWkt);
        Assert.NotEmpty(expected);
        Assert.Equal(expected.Length, body["@odata.count"]!.GetValue<long>());
        Assert.Equal(expected, body["value"]!.AsArray().Select(r => r!["Id"]!.GetValue<long>()).Order());
        var count = Assert.Single(server.Sql.Drain(), c => c.Text.Contains("count(*)", StringComparison.Ordinal));
        Assert.Contains("ST_Intersects(s.location_geometry, @", count.Text);
        Assert.Contains("ix_sites_location_geometry", await server.ExplainAsync(count, disableSeqScan: true));
    }

    [Fact]
    public async Task The_commune_containing_a_point_equals_an_independent_ST_Intersects()
    {
        server.Sql.Drain();
        var body = await server.JsonAsync($"/odata/Communes?$filter=geo.intersects(Geometry, {Point})&$select=Code,Nom");
        var expected = await server.ScalarAsync<string>(
            "SELECT code FROM communes WHERE ST_Intersects(geometry, ST_SetSRID(ST_MakePoint($1, $2), 4326))", Lon, Lat);
        Assert.Equal("23096", expected);
        Assert.Equal(expected, Assert.Single(body["value"]!.AsArray())!["Code"]!.GetValue<string>());
        var page = Assert.Single(server.Sql.Drain(), c => c.Text.Contains("ST_Intersects", StringComparison.Ordinal));
        // The table-split shape costs a self-join on the key; the planner still starts from the GiST index, unprompted.
        Assert.Contains("ST_Intersects(c0.geometry, @", page.Text);
        Assert.Contains("ix_communes_geometry", await server.ExplainAsync(page, disableSeqScan: false));

        // Communes touched by a polygon, and sites of a commune found by containment instead of by code.
        var touched = await server.JsonAsync(
            $"/odata/Communes?$filter=geo.intersects(Geometry, geography'SRID=4326;{LimogesWkt}')&$count=true&$top=0");
        Assert.Equal(await CountAsync("SELECT count(*) FROM communes WHERE ST_Intersects(geometry, ST_GeomFromText($1, 4326))", LimogesWkt),
            touched["@odata.count"]!.GetValue<long>());
        var inside = await server.JsonAsync("/odata/Sites?$filter=geo.intersects(Location, Commune/Geometry)&$count=true&$top=0");
        Assert.Equal(await CountAsync("SELECT count(*) FROM sites s JOIN communes c ON c.code = s.commune_code "
            + "WHERE ST_Intersects(s.location_geometry, c.geometry)"), inside["@odata.count"]!.GetValue<long>());
    }

    [Fact]
    public async Task Radius_is_capped_and_geo_distance_outside_site_location_is_refused()
    {
        foreach (var url in new[]
                 {
                     $"/odata/Sites?$filter=geo.distance(Location, {Point}) le 1000001",
                     $"/odata/Sites?$filter=geo.distance(Location, {Point}) le -1",
                     $"/odata/Communes?$filter=geo.distance(Geometry, {Point}) le 10",
                     $"/odata/Sites?$filter=geo.distance(Location, geography'SRID=4326;POINT(200 46)') le 10",
                     $"/odata/Sites?$filter=geo.length(geography'SRID=4326;LINESTRING(1 46, 2 47)') gt 0",
                     $"/odata/Sites?$filter=Location eq {Point}",
                 })
        {
            var body = await server.JsonAsync(url, 400);
            Assert.False(string.IsNullOrEmpty(body["error"]!["code"]!.GetValue<string>()));
            Assert.False(string.IsNullOrEmpty(body["error"]!["message"]!.GetValue<string>()));
        }
    }
}
