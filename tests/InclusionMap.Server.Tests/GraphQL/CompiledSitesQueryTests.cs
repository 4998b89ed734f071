using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using InclusionMap.Server.GraphQL;
using Microsoft.Extensions.DependencyInjection;

namespace InclusionMap.Server.Tests.GraphQL;

/// <summary>
/// <see cref="CompiledSitesQuery"/>: a nearest-sites page over plain fields is answered by its plan exactly as the engine
/// answers it, byte for byte; whatever the plan does not cover, and every request it cannot answer exactly, goes to the
/// engine. The engine's answer to the same document comes from the document with <c>@include(if: true)</c> on <c>sites</c>:
/// the same answer, but a directive, which the plan leaves to the engine.
/// </summary>
public sealed class CompiledSitesQueryTests(GraphQLServerFixture server) : IClassFixture<GraphQLServerFixture>
{
    private const string Engine = " @include(if: true)";

    private long Answered => server.App.Services.GetRequiredService<CompiledSitesQueries>().Answered;

    /// <summary>
    /// POSTs a document. Every request belongs to one trace (W3C <c>traceparent</c>): errors carry the trace id, and the
    /// answers compared byte for byte must not differ by it.
    /// </summary>
    private async Task<(int Status, string ContentType, string Body)> PostAsync(string query, object? variables)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(new { query, variables }));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = content };
        request.Headers.Add("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        using var response = await server.Client.SendAsync(request);
        return ((int)response.StatusCode, response.Content.Headers.ContentType!.ToString(),
            Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync()));
    }

    /// <summary>
    /// Commune centres spread over the catalogue (a fixed sample, three in four with sites of their own), with their codes.
    /// </summary>
    private async Task<List<Place>> PointsAsync(int count)
    {
        var text = await server.ScalarAsync<string>(
            $"""
            SELECT string_agg(ST_Y(centre::geometry) || ' ' || ST_X(centre::geometry) || ' ' || code || ' ' || departement_code, ';') FROM (
              (SELECT * FROM communes WHERE centre IS NOT NULL AND code IN (SELECT commune_code FROM sites)
                ORDER BY md5(code) LIMIT {count * 3 / 4})
              UNION ALL
              (SELECT * FROM communes WHERE centre IS NOT NULL
                  AND code NOT IN (SELECT commune_code FROM sites WHERE commune_code IS NOT NULL)
                ORDER BY md5(code) LIMIT {count / 4})) c
            """);
        return text.Split(';').Select(p => p.Split(' '))
            .Select(p => new Place(
                double.Parse(p[0], CultureInfo.InvariantCulture), double.Parse(p[1], CultureInfo.InvariantCulture), p[2], p[3]))
            .ToList();
    }

    public sealed record Place(double Lat, double Lon, string Code, string Departement);

    public static TheoryData<string> Documents =>
    [
        // The benchmark's and partner sites' query.
        "query($lat: Float!, $lon: Float!, $first: Int!) { sites(near: {latitude: $lat, longitude: $lon}, first: $first)%E "
            + "{ nodes { id nom latitude longitude } } }",
        // Every plain field, edges with cursors and distances, page info, within a radius.
        """
        query Around($lat: Float!, $lon: Float!, $first: Int!, $r: Float) {
          sites(near: {latitude: $lat, longitude: $lon}, radiusMeters: $r, first: $first)%E {
            pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
            edges { cursor distanceMeters node { id pivot nom communeName codePostal codeInsee adresse complementAdresse latitude longitude
              typologie telephone courriels siteWeb horaires presentationResume presentationDetail source structureParente
              autresFormationsLabels ficheAccesLibre priseRdv departementCode } }
          }
        }
        """,
        // A GeoPointInput variable, aliases, a literal radius, nodes and edges together.
        """
        query($p: GeoPointInput!, $first: Int) { autour: sites(near: $p, radiusMeters: 20000, first: $first)%E {
          lieux: nodes { numero: id nom } edges { d: distanceMeters } info: pageInfo { fin: endCursor } } }
        """,
        // A map's box, in id order.
        "query($w: Float!, $s: Float!, $e: Float!, $n: Float!, $first: Int!) { sites(bbox: {west: $w, south: $s, east: $e, north: $n}, "
            + "first: $first)%E { pageInfo { hasNextPage endCursor } nodes { id nom latitude longitude } } }",
        // A commune's and a département's sites (a BBoxInput variable left null, a literal first).
        "query($code: String!, $b: BBoxInput) { sites(communeCode: $code, bbox: $b, first: 100)%E "
            + "{ edges { cursor distanceMeters node { id nom adresse } } } }",
        "query($d: String, $first: Int!) { sites(departementCode: $d, first: $first)%E "
            + "{ nodes { id codePostal } pageInfo { hasNextPage } } }",
    ];

    private static object Variables(string document, Place p, int first) => document switch
    {
        _ when document.Contains("$p:", StringComparison.Ordinal) => new { p = new { latitude = p.Lat, longitude = p.Lon }, first },
        _ when document.Contains("$w:", StringComparison.Ordinal) =>
            new { w = p.Lon - 0.1, s = p.Lat - 0.07, e = p.Lon + 0.1, n = p.Lat + 0.07, first },
        _ when document.Contains("$code:", StringComparison.Ordinal) => new { code = p.Code, b = (object?)null },
        _ when document.Contains("$d:", StringComparison.Ordinal) => new { d = p.Departement, first },
        _ => new { lat = p.Lat, lon = p.Lon, first, r = 15_000.0 },
    };

    [Theory]
    [MemberData(nameof(Documents))]
    public async Task The_plan_answers_byte_for_byte_like_the_engine(string document)
    {
        var compiled = document.Replace("%E", "", StringComparison.Ordinal);
        var engine = document.Replace("%E", Engine, StringComparison.Ordinal);
        var near = document.Contains("near:", StringComparison.Ordinal);
        var points = await PointsAsync(40);
        var answeredBefore = Answered;
        var (requests, sizes, withSites) = (0, 0, 0);
        // Page sizes within the cost limit for the document (every site field of a page counts: 24 of them allow 50 sites).
        var largest = document.Contains("presentationDetail", StringComparison.Ordinal) ? 50 : 100;
        foreach (var first in document.Contains("first: 100", StringComparison.Ordinal) ? new[] { 100 } : new[] { 1, 10, largest })
        {
            sizes++;
            foreach (var p in points)
            {
                server.Sql.Drain();
                var fast = await PostAsync(compiled, Variables(document, p, first));
                var sql = server.Sql.Drain();
                var slow = await PostAsync(engine, Variables(document, p, first));
                requests++;
                Assert.Equal(slow, fast);
                Assert.Equal(200, fast.Status);
                Assert.DoesNotContain("\"errors\"", fast.Body, StringComparison.Ordinal);
                if (fast.Body.Contains("[{", StringComparison.Ordinal)) withSites++;
                // The plan runs the catalogue's own search: by distance on the spatial index (a second query only for
                // ties at the page's end), or in id order.
                Assert.NotEmpty(sql);
                Assert.All(sql, s => Assert.Contains(near ? "ORDER BY s.location <-> $1" : "ORDER BY s.id", s, StringComparison.Ordinal));
            }
        }
        Assert.True(withSites >= requests / 2, $"{withSites} of {requests} answers hold sites");
        // The engine answers the first request of each page size (it must have accepted that size); the plan all the others.
        Assert.Equal(requests - sizes, Answered - answeredBefore);
    }

    [Fact]
    public async Task Pages_are_not_empty_and_follow_distance()
    {
        const string Query = "query($lat: Float!, $lon: Float!) { sites(near: {latitude: $lat, longitude: $lon}, first: 10) "
            + "{ edges { distanceMeters node { id } } } }";
        var variables = new { lat = 46.1703, lon = 1.8717 };
        await PostAsync(Query, variables);
        var before = Answered;
        var body = JsonDocument.Parse((await PostAsync(Query, variables)).Body);
        Assert.Equal(before + 1, Answered);
        var distances = body.RootElement.GetProperty("data").GetProperty("sites").GetProperty("edges").EnumerateArray()
            .Select(e => e.GetProperty("distanceMeters").GetDouble()).ToList();
        Assert.Equal(10, distances.Count);
        Assert.Equal(distances.Order(), distances);
        var expected = await server.ScalarAsync<double[]>(
            "SELECT array_agg(d ORDER BY d) FROM (SELECT ST_Distance(location, ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography, false) d "
            + "FROM sites WHERE location IS NOT NULL ORDER BY d LIMIT 10) x",
            variables.lon, variables.lat);
        Assert.Equal(expected, distances, (a, b) => Math.Abs(a - b) < 1e-6);
    }

    public static TheoryData<string, string> Refused => new()
    {
        { "latitude out of range", """{"lat": 91, "lon": 2.35, "first": 10}""" },
        { "page too large", """{"lat": 48.85, "lon": 2.35, "first": 1000}""" },
        { "negative page", """{"lat": 48.85, "lon": 2.35, "first": -1}""" },
        { "radius over the cap", """{"lat": 48.85, "lon": 2.35, "first": 10, "r": 5000000}""" },
        { "negative radius", """{"lat": 48.85, "lon": 2.35, "first": 10, "r": -5}""" },
        { "latitude as a string", """{"lat": "48.85", "lon": 2.35, "first": 10}""" },
        { "page size as a float", """{"lat": 48.85, "lon": 2.35, "first": 10.5}""" },
        { "missing variable", """{"lon": 2.35, "first": 10}""" },
        { "null latitude", """{"lat": null, "lon": 2.35, "first": 10}""" },
        { "huge integer", """{"lat": 48.85, "lon": 2.35, "first": 99999999999999999999}""" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public Task Requests_the_plan_cannot_answer_get_the_engines_answer(string why, string variables) => AssertEnginesAnswerAsync(
        "query($lat: Float!, $lon: Float!, $first: Int!, $r: Float) { sites(near: {latitude: $lat, longitude: $lon}, radiusMeters: $r, "
        + "first: $first)%E { nodes { id nom } } }",
        new { lat = 48.85, lon = 2.35, first = 10 }, new { lat = 45.76, lon = 4.83, first = 10 }, why, variables);

    [Theory]
    [InlineData("box with west east of east", """{"b": {"west": 3, "south": 45, "east": 2, "north": 46}}""")]
    [InlineData("box with a missing side", """{"b": {"west": 2, "south": 45, "east": 3}}""")]
    [InlineData("commune code as a number", """{"code": 23096}""")]
    [InlineData("radius without near", """{"r": 1000}""")]
    public Task Box_and_code_requests_the_plan_cannot_answer_get_the_engines_answer(string why, string variables) =>
        AssertEnginesAnswerAsync(
            "query($b: BBoxInput, $code: String, $r: Float) { sites(bbox: $b, communeCode: $code, radiusMeters: $r, first: 10)%E "
            + "{ nodes { id } } }",
            new { code = "23096" }, new { b = new { west = 1.8, south = 46.1, east = 1.95, north = 46.2 } }, why, variables);

    /// <summary>
    /// Once the plan of <paramref name="document"/> exists (the engine answered <paramref name="learn"/>) and has answered
    /// <paramref name="answered"/>, a request with <paramref name="variables"/> gets exactly the engine's error, from the engine.
    /// </summary>
    private async Task AssertEnginesAnswerAsync(string document, object learn, object answered, string why, string variables)
    {
        var compiled = document.Replace("%E", "", StringComparison.Ordinal);
        var engine = document.Replace("%E", Engine, StringComparison.Ordinal);
        await PostAsync(compiled, learn);
        var before = Answered;
        Assert.Contains("[{", (await PostAsync(compiled, answered)).Body, StringComparison.Ordinal);
        Assert.Equal(before + 1, Answered);

        var parsed = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(variables);
        var fast = await PostAsync(compiled, parsed);
        var slow = await PostAsync(engine, parsed);
        Assert.Equal(before + 1, Answered);
        Assert.True(slow == fast, $"{why}: {fast} / engine: {slow}");
        Assert.Contains("\"errors\"", fast.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", fast.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ sites(near: {latitude: 48.85, longitude: 2.35}, first: 5) { totalCount nodes { id } } }")]
    [InlineData("{ sites(near: {latitude: 48.85, longitude: 2.35}, first: 5) { nodes { __typename id } } }")]
    [InlineData("{ sites(near: {latitude: 48.85, longitude: 2.35}, first: 5) { nodes { ...f } } } fragment f on Site { id }")]
    [InlineData("{ sites(near: {latitude: 48.85, longitude: 2.35}, first: 5, services: [AIDE_AUX_DEMARCHES_ADMINISTRATIVES]) "
        + "{ nodes { id } } }")]
    [InlineData("{ sites(near: {latitude: 48.85, longitude: 2.35}, first: 5) { nodes { id services commune { name } } } }")]
    [InlineData("{ sites(search: \"services\", first: 5) { nodes { id } } }")]
    [InlineData("{ sites(near: {latitude: 48.85, longitude: 2.35}, first: 5) { nodes { id } } departements { code } }")]
    [InlineData("{ sites(near: {latitude: 48.85, longitude: 2.35}) { nodes { id } } }")]
    [InlineData("query($n: Int = 5) { sites(near: {latitude: 48.85, longitude: 2.35}, first: $n) { nodes { id } } }")]
    public async Task Documents_outside_the_plan_are_the_engines(string document)
    {
        var before = Answered;
        for (var i = 0; i < 3; i++)
        {
            var (status, _, body) = await PostAsync(document, null);
            Assert.Equal(200, status);
            Assert.DoesNotContain("\"errors\"", body, StringComparison.Ordinal);
            Assert.Contains("\"id\"", body, StringComparison.Ordinal);
        }
        Assert.Equal(before, Answered);
    }

    [Fact]
    public async Task A_get_answered_by_the_plan_keeps_its_cache_headers_and_etag()
    {
        const string Query =
            "query($lat: Float!, $lon: Float!) { sites(near: {latitude: $lat, longitude: $lon}, first: 3) { nodes { id nom } } }";
        var url = $"/graphql?query={Uri.EscapeDataString(Query)}&variables={Uri.EscapeDataString("{\"lat\":43.6,\"lon\":1.44}")}";
        await PostAsync(Query, new { lat = 44.0, lon = 1.0 }); // the engine runs the document once
        var before = Answered;
        using var first = await server.Client.GetAsync(url);
        Assert.Equal(before + 1, Answered);
        Assert.Equal("public, max-age=60", first.Headers.CacheControl!.ToString());
        var etag = first.Headers.ETag!.Tag;
        using var again = new HttpRequestMessage(HttpMethod.Get, url + "&x=1");
        again.Headers.IfNoneMatch.Add(new EntityTagHeaderValue(etag));
        using var notModified = await server.Client.SendAsync(again);
        Assert.Equal(System.Net.HttpStatusCode.NotModified, notModified.StatusCode);
    }
}
