using System.Globalization;
using System.Text.Json.Nodes;
using NetTopologySuite.Geometries;
using Npgsql;
using NpgsqlTypes;

namespace InclusionMap.Server.Tests.OData;

/// <summary>
/// The direct nearest page of the feed (<c>NearestFeedPage</c>): for the requests it serves it answers byte for byte
/// what the general path (MVC, the OData query options, EF Core, the OData serializer) answers, its rows match an
/// independent distance computation, its SQL is the GiST index walk, and every other request still goes the general way.
/// </summary>
public sealed class NearestFeedPageTests(ODataServerFixture server) : IClassFixture<ODataServerFixture>
{
    private static string Point(double lon, double lat) =>
        string.Create(CultureInfo.InvariantCulture, $"geography'SRID=4326;POINT({lon} {lat})'");

    private static string Nearest(string select, int top, double lon, double lat, double? radius = null) =>
        $"/odata/Sites?$select={select}&$top={top}&$orderby=geo.distance(Location,{Point(lon, lat)})"
        + (radius is { } r ? string.Create(CultureInfo.InvariantCulture, $"&$filter=geo.distance(Location,{Point(lon, lat)}) le {r}") : "");

    /// <summary>25 commune centres spread over the country (rounded as a client would write them).</summary>
    private async Task<List<(double Lon, double Lat)>> PointsAsync()
    {
        var points = new List<(double, double)>();
        await using var command = server.DataSource.CreateCommand(
            "SELECT round(ST_X(centre::geometry)::numeric, 5)::float8, round(ST_Y(centre::geometry)::numeric, 5)::float8 "
            + "FROM communes WHERE centre IS NOT NULL ORDER BY md5(code) LIMIT 25");
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) points.Add((reader.GetDouble(0), reader.GetDouble(1)));
        return points;
    }

    private async Task<(HttpResponseMessage Response, string Body)> GetAsync(string url, Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        configure?.Invoke(request);
        var response = await server.Client.SendAsync(request);
        return (response, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("Id,Nom,Latitude,Longitude", 10, null)]
    [InlineData("Nom,Id,Telephone,CodePostal,CommuneName,Horaires", 1, null)]
    [InlineData("Id", 100, null)]
    [InlineData("Longitude,Nom,Id", 10, 5000.0)]
    [InlineData("Id,Nom,CodeInsee,StructureParente", 100, 20000.0)]
    public async Task Answers_what_the_general_path_answers_with_one_index_walk(string select, int top, double? radius)
    {
        // The one query of every nearest page: the columns in column order, the distance, the page and one spare row.
        var columns = string.Join(", ",
            select.Split(',').Append("Id").Select(Snake).Distinct().Order(StringComparer.Ordinal).Select(c => "s." + c));
        var expectedSql = $"SELECT {columns}, s.location <-> $1 AS distance FROM sites AS s "
            + "WHERE s.retired_at IS NULL AND s.location IS NOT NULL"
            + (radius is null ? "" : " AND ST_DWithin(s.location, $1, $2, FALSE)") + $" ORDER BY s.location <-> $1 LIMIT {top + 1}";
        var rows = 0;
        foreach (var (lon, lat) in await PointsAsync())
        {
            var url = Nearest(select, top, lon, lat, radius);
            server.SentSql.Drain();
            server.Sql.Drain();
            var (direct, directBody) = await GetAsync(url);
            Assert.Equal(expectedSql, Assert.Single(server.SentSql.Drain()));
            Assert.Empty(server.Sql.Drain()); // EF Core sent nothing: the direct page answered

            // $skip=0 changes nothing in the answer but is an option the direct page leaves to the general path.
            var (general, generalBody) = await GetAsync(url + "&$skip=0");
            Assert.NotEmpty(server.Sql.Drain());
            Assert.Equal(200, (int)direct.StatusCode);
            Assert.Equal(200, (int)general.StatusCode);
            Assert.Equal(generalBody, directBody);
            Assert.Equal(general.Content.Headers.ContentType!.ToString(), direct.Content.Headers.ContentType!.ToString());
            Assert.Equal(general.Headers.GetValues("OData-Version"), direct.Headers.GetValues("OData-Version"));
            rows += JsonNode.Parse(directBody)!["value"]!.AsArray().Count;
        }
        Assert.True(rows >= (radius is null ? 25 * top : 10), $"only {rows} rows over 25 points: the comparison compared too little");
    }

    private static string Snake(string name) =>
        string.Concat(name.Select((c, i) =>
            char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    [Fact]
    public async Task Pages_match_an_independent_distance_computation()
    {
        foreach (var (lon, lat) in (await PointsAsync()).Take(10))
            foreach (var radius in new double?[] { null, 15000 })
            {
                var body = JsonNode.Parse((await GetAsync(Nearest("Id", 20, lon, lat, radius))).Body)!;
                var ids = body["value"]!.AsArray().Select(r => r!["Id"]!.GetValue<long>()).ToList();
                // Every site's distance by ST_Distance on the sphere, no index, no KNN operator.
                var reference = new List<(long Id, double Distance)>();
                await using (var command = server.DataSource.CreateCommand(
                    "SELECT id, ST_Distance(location, ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography, false) FROM sites "
                    + "WHERE location IS NOT NULL"))
                {
                    command.Parameters.Add(new() { Value = lon });
                    command.Parameters.Add(new() { Value = lat });
                    await using var reader = await command.ExecuteReaderAsync();
                    while (await reader.ReadAsync()) reference.Add((reader.GetInt64(0), reader.GetDouble(1)));
                }
                var expected = reference.Where(r => radius is null || r.Distance <= radius).OrderBy(r => r.Distance).Take(20).ToList();
                var distance = reference.ToDictionary(r => r.Id, r => r.Distance);
                Assert.Equal(expected.Count, ids.Count);
                // Sites at one place tie: compare the distances in order, and that each id is at its own distance.
                for (var i = 0; i < ids.Count; i++) Assert.Equal(expected[i].Distance, distance[ids[i]], 3);
                Assert.Equal(ids.Count, ids.Distinct().Count());
            }
    }

    [Theory]
    [InlineData(null)]
    [InlineData(30000.0)]
    public async Task Its_SQL_uses_the_GiST_index(double? radius)
    {
        server.SentSql.Drain();
        await GetAsync(Nearest("Id,Nom", 10, 1.8717, 46.1703, radius));
        // Npgsql's traces carry the text, not the values: the test gives the parameters the request sent.
        List<NpgsqlParameter> parameters =
            [new() { Value = new Point(1.8717, 46.1703) { SRID = 4326 }, NpgsqlDbType = NpgsqlDbType.Geography }];
        if (radius is { } r) parameters.Add(new() { Value = r });
        var text = await server.ExplainAsync(new CapturedCommand(Assert.Single(server.SentSql.Drain()), parameters), disableSeqScan: false);
        Assert.Contains("ix_sites_location", text);
        Assert.DoesNotContain("Seq Scan", text);
        if (radius is null)
        {
            // The nearest sites straight off the index, in distance order: no sort of the table.
            Assert.Contains("Index Scan using ix_sites_location", text);
            Assert.Contains("Order By: (location <-> ", text);
            Assert.DoesNotContain("Sort", text);
        }
    }

    public static TheoryData<string, string?> OtherRequests => new()
    {
        { Nearest("Id,Nom", 10, 2.35, 48.85) + "&$count=true", null },
        { Nearest("Id,Nom", 10, 2.35, 48.85) + "&$format=json", null },
        { Nearest("Id,DateMaj", 10, 2.35, 48.85), null },          // a date: the OData serializer's format
        { Nearest("Id,Services", 10, 2.35, 48.85), null },         // a vocabulary list
        { Nearest("Id,Location", 10, 2.35, 48.85), null },         // GeoJSON
        { Nearest("Id,Id", 10, 2.35, 48.85), null },
        { Nearest("Id", 101, 2.35, 48.85), null },                 // more than a page
        { Nearest("Id", 10, 2.35, 48.85).Replace("/Sites", "/sites", StringComparison.Ordinal), null },
        { $"/odata/Sites?$select=Id&$top=10&$orderby=geo.distance(Location,{Point(2.35, 48.85)}) desc", null },
        { Nearest("Id", 10, 2.35, 48.85) + $"&$filter=geo.distance(Location,{Point(2.35, 48.85)}) lt 5000", null },
        { Nearest("Id", 10, 2.35, 48.85) + $"&$filter=geo.distance(Location,{Point(2.4, 48.85)}) le 5000", null }, // another point
        { Nearest("Id", 10, 2.35, 48.85), "Prefer: odata.maxpagesize=5" },
        { Nearest("Id", 10, 2.35, 48.85), "Accept: application/json;odata.metadata=full" },
        { Nearest("Id", 10, 2.35, 48.85), "Accept: application/json;IEEE754Compatible=true" },
        { Nearest("Id", 10, 2.35, 48.85), "OData-MaxVersion: 4.0" },
    };

    [Theory]
    [MemberData(nameof(OtherRequests))]
    public async Task Every_other_request_goes_the_general_way(string url, string? header)
    {
        server.Sql.Drain();
        var (response, body) = await GetAsync(url, request =>
        {
            if (header?.Split(": ", 2) is [var name, var value]) request.Headers.TryAddWithoutValidation(name, value);
        });
        Assert.True((int)response.StatusCode is 200 or 400 or 404, $"{(int)response.StatusCode}: {body}");
        // EF Core sent the query (a 400 or 404 comes from the general path before any SQL, in the OData error format).
        if ((int)response.StatusCode == 200) Assert.NotEmpty(server.Sql.Drain());
        else Assert.Contains("\"error\"", body);
    }

    [Theory]
    [InlineData("POINT(500 48.85)", null, "InvalidValue")]        // longitude out of range
    [InlineData("POINT(2.35 48.85)", 2000000.0, "InvalidValue")]   // radius over the cap
    public async Task Bad_points_and_radii_get_the_general_paths_error(string wkt, double? radius, string code)
    {
        var point = $"geography'SRID=4326;{wkt}'";
        var url = $"/odata/Sites?$select=Id&$top=10&$orderby=geo.distance(Location,{point})"
            + (radius is { } r ? string.Create(CultureInfo.InvariantCulture, $"&$filter=geo.distance(Location,{point}) le {r}") : "");
        var (response, body) = await GetAsync(url);
        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal(code, JsonNode.Parse(body)!["error"]!["code"]!.GetValue<string>());
    }
}
