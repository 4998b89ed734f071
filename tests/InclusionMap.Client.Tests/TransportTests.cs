using System.Globalization;
using System.Net;
using System.Text.Json;
using InclusionMap.Testing;

namespace InclusionMap.Client.Tests;

/// <summary>GraphQL over HTTP: GET by default (cached by the server, revalidated with ETags), POST by choice, error codes.</summary>
public sealed class TransportTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Queries_go_by_get_and_a_repeat_is_served_from_the_cache_or_revalidated()
    {
        var (client, recorder) = server.Connect();
        var arguments = new SitesArguments { Near = new GeoPointInput(45.7640, 4.8357), First = 7 };
        var first = await client.SitesAsync(arguments, Selection<Site>.Of(s => s.Id, s => s.Nom));
        var sent = recorder.Last;
        Assert.Equal(HttpMethod.Get, sent.Method);
        Assert.Contains("operationName=Sites", sent.Uri.Query);
        Assert.Equal(HttpStatusCode.OK, sent.Status);
        Assert.Equal("application/graphql-response+json", sent.MediaType);
        Assert.Equal("public, max-age=60", sent.CacheControl);
        Assert.NotNull(sent.ETag);
        Assert.Null(sent.Age);

        var second = await client.SitesAsync(arguments, Selection<Site>.Of(s => s.Id, s => s.Nom));
        Assert.Equal(sent.Uri, recorder.Last.Uri); // the same question makes the same URL
        Assert.NotNull(recorder.Last.Age); // answered from the server's output cache
        Assert.Equal(sent.ETag, recorder.Last.ETag);
        Assert.Equal(first.Edges.Select(e => e.Node.Id), second.Edges.Select(e => e.Node.Id));

        using var revalidate = new HttpRequestMessage(HttpMethod.Get, sent.Uri);
        revalidate.Headers.IfNoneMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue(sent.ETag!));
        revalidate.Headers.Accept.ParseAdd("application/graphql-response+json");
        using var notModified = await server.Client.SendAsync(revalidate);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
    }

    [Fact]
    public async Task Post_by_choice_gives_the_same_answer_uncached()
    {
        var (getClient, _) = server.Connect();
        var (postClient, recorder) = server.Connect(new InclusionMapClientOptions { Method = HttpMethod.Post });
        var arguments = new SitesArguments { DepartementCode = "23", Services = [Service.AideAuxDemarchesAdministratives], First = 10 };
        var byGet = await getClient.SitesAsync(arguments);
        var byPost = await postClient.SitesAsync(arguments);
        Assert.Equal(HttpMethod.Post, recorder.Last.Method);
        Assert.Equal("no-store", recorder.Last.CacheControl);
        Assert.Null(recorder.Last.ETag);
        Assert.Equal(JsonSerializer.Serialize(byGet), JsonSerializer.Serialize(byPost));
        Assert.NotEmpty(byPost.Edges);
    }

    [Fact]
    public async Task A_question_too_long_for_a_url_goes_by_post()
    {
        var (client, recorder) = server.Connect();
        // A 600-vertex circle of 15 km around Guéret: its GeoJSON does not fit a URL.
        var ring = Enumerable.Range(0, 601).Select(i => i % 600 * 2 * Math.PI / 600)
            .Select(a => string.Create(CultureInfo.InvariantCulture,
                $"[{1.8717 + 0.195 * Math.Cos(a):F6},{46.1703 + 0.135 * Math.Sin(a):F6}]"));
        var polygon = $$"""{"type":"Polygon","coordinates":[[{{string.Join(",", ring)}}]]}""";
        var ids = new List<string>();
        var within = new SitesArguments { Within = JsonDocument.Parse(polygon).RootElement };
        await foreach (var edge in client.AllSitesAsync(within, Selection<Site>.Of(s => s.Id))) ids.Add(edge.Node.Id);
        Assert.Equal(HttpMethod.Post, recorder.Last.Method);
        var expected = await server.ColumnAsync(
            "SELECT id FROM sites WHERE ST_Intersects(location_geometry, ST_GeomFromGeoJSON($1)) ORDER BY id", polygon);
        Assert.NotEmpty(expected);
        Assert.Equal(expected, ids);
    }

    [Fact]
    public async Task Errors_surface_with_their_codes()
    {
        var (client, _) = server.Connect();
        var tooMany = await Assert.ThrowsAsync<InclusionMapException>(() =>
            client.SitesAsync(new SitesArguments { Near = new GeoPointInput(46, 2), First = 500 }, Selection<Site>.Of(s => s.Id)));
        Assert.Equal(["PAGE_SIZE_EXCEEDED"], tooMany.Codes);
        Assert.Equal(200, tooMany.StatusCode);
        var tooFar = await Assert.ThrowsAsync<InclusionMapException>(() =>
            client.SitesAsync(new SitesArguments { Near = new GeoPointInput(46, 2), RadiusMeters = 250_000 }));
        Assert.Equal(["RADIUS_TOO_LARGE"], tooFar.Codes);
        var badCursor = await Assert.ThrowsAsync<InclusionMapException>(() =>
            client.SitesAsync(new SitesArguments { After = "not-a-cursor" }));
        Assert.Equal(["BAD_CURSOR"], badCursor.Codes);
        var withCommunes = Selection<Site>.Default.With(s => s.Commune, Selection<Commune>.Default);
        var complex = await Assert.ThrowsAsync<InclusionMapException>(() =>
            client.SitesAsync(new SitesArguments { First = 100 }, withCommunes));
        Assert.Equal(["MAX_COMPLEXITY_EXCEEDED"], complex.Codes);
        var invalid = await Assert.ThrowsAsync<InclusionMapException>(() => client.QueryAsync<JsonElement>("{ nope }"));
        Assert.Equal(400, invalid.StatusCode);
        Assert.NotEmpty(invalid.Codes);
        var (postClient, _) = server.Connect(new InclusionMapClientOptions { Method = HttpMethod.Post });
        var syntax = await Assert.ThrowsAsync<InclusionMapException>(() => postClient.QueryAsync<JsonElement>("{ sites( }"));
        Assert.Equal(400, syntax.StatusCode);
        Assert.Contains("SYNTAX_ERROR", syntax.Codes);
    }

    [Fact]
    public async Task An_answer_that_is_not_graphql_is_an_error_too()
    {
        var page = new InclusionMapClient(new HttpClient { BaseAddress = server.BaseAddress }, new() { Path = "./" });
        var html = await Assert.ThrowsAsync<InclusionMapException>(() => page.DepartementsAsync());
        Assert.Equal("HTTP 200: the answer is not a GraphQL response (text/html).", html.Message);
        Assert.Empty(html.Codes);
        var health = new InclusionMapClient(new HttpClient { BaseAddress = server.BaseAddress }, new() { Path = "health" });
        var json = await Assert.ThrowsAsync<InclusionMapException>(() => health.DepartementsAsync());
        Assert.Equal("HTTP 200: the answer has no data.", json.Message);
    }
}
