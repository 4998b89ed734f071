using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using InclusionMap.Server.Limits;

namespace InclusionMap.Server.Tests.Limits;

/// <summary>
/// Budgets per client address and class of request, over real TCP from distinct loopback addresses: the request past a
/// budget gets 429 with Retry-After and a short body in the API's own format; other classes and other addresses go on.
/// </summary>
[Collection(TightLimitsCollection.Name)]
public sealed class RateLimitTests(TightLimitsServer server)
{
    private const string SitesQuery = "{ sites(first: 1) { nodes { id } } }";
    private const string CoverageQuery = "{ coverage(departementCode: \"23\", suggest: 1) { summary { communes } } }";

    private static Task<HttpResponseMessage> PostGraphQLAsync(HttpClient client, string query) =>
        client.PostAsJsonAsync("/graphql", new { query });

    private static Task<HttpResponseMessage> GetGraphQLAsync(HttpClient client, string query) =>
        client.GetAsync("/graphql?query=" + Uri.EscapeDataString(query));

    /// <summary>429 with a Retry-After of at most the window (a minute) in whole seconds.</summary>
    private static async Task<string> AssertRateLimitedAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.TooManyRequests, $"{(int)response.StatusCode}: {body}");
        var retryAfter = int.Parse(Assert.Single(response.Headers.GetValues("Retry-After")), CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 60);
        Assert.Contains($"{retryAfter} s", body);
        return body;
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response)
    {
        var body = await AssertRateLimitedAsync(response);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(body)!;
        Assert.Equal(429, problem["status"]!.GetValue<int>());
        Assert.Equal(RequestLimits.RateLimitedCode, problem["code"]!.GetValue<string>());
    }

    private static async Task AssertGraphQLRateLimitedAsync(HttpResponseMessage response)
    {
        var body = await AssertRateLimitedAsync(response);
        Assert.Equal("application/graphql-response+json", response.Content.Headers.ContentType?.MediaType);
        var error = Assert.Single(JsonNode.Parse(body)!["errors"]!.AsArray())!;
        Assert.Equal(RequestLimits.RateLimitedCode, error["extensions"]!["code"]!.GetValue<string>());
        Assert.Contains("Too many requests", error["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Searches_past_the_budget_get_429_in_each_APIs_format_and_other_addresses_and_classes_go_on()
    {
        using var client = server.From("127.0.0.11");
        // GraphQL by POST and GET and OData share the search budget.
        Assert.Equal(HttpStatusCode.OK, (await PostGraphQLAsync(client, SitesQuery)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetGraphQLAsync(client, SitesQuery)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/odata/Sites?$top=1")).StatusCode);

        await AssertGraphQLRateLimitedAsync(await PostGraphQLAsync(client, SitesQuery));
        await AssertGraphQLRateLimitedAsync(await GetGraphQLAsync(client, SitesQuery));
        await AssertProblemAsync(await client.GetAsync("/odata/Sites?$top=1"));
        // The pages count as searches too.
        await AssertProblemAsync(await client.GetAsync("/"));

        // Another class from the same address, and the same search from another address.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/tiles/sites/12/2063/1457.mvt")).StatusCode);
        using var other = server.From("127.0.0.12");
        Assert.Equal(HttpStatusCode.OK, (await PostGraphQLAsync(other, SitesQuery)).StatusCode);
    }

    [Fact]
    public async Task A_document_asking_for_coverage_counts_as_an_analysis_not_as_a_search()
    {
        using var client = server.From("127.0.0.13");
        // Two analyses (the budget): by GET, and by POST with the field inside a fragment.
        Assert.Equal(HttpStatusCode.OK, (await GetGraphQLAsync(client, CoverageQuery)).StatusCode);
        var inFragment = "query { ...Gaps } fragment Gaps on Query { coverage(departementCode: \"23\", suggest: 2) "
            + "{ summary { communes } } }";
        var answer = await PostGraphQLAsync(client, inFragment);
        Assert.True(answer.StatusCode == HttpStatusCode.OK, await answer.Content.ReadAsStringAsync());

        // The analysis budget is spent, whichever entry point asks.
        await AssertGraphQLRateLimitedAsync(await PostGraphQLAsync(client, CoverageQuery));
        await AssertProblemAsync(await client.GetAsync("/coverage/23.csv"));
        await AssertProblemAsync(await client.GetAsync("/coverage/23.geojson"));

        // The search budget is whole: the analyses did not draw on it.
        for (var i = 0; i < TightLimitsServer.Searches; i++)
            Assert.Equal(HttpStatusCode.OK, (await PostGraphQLAsync(client, SitesQuery)).StatusCode);
        await AssertGraphQLRateLimitedAsync(await PostGraphQLAsync(client, SitesQuery));
    }

    [Fact]
    public async Task Tiles_and_maps_have_budgets_of_their_own()
    {
        using var client = server.From("127.0.0.14");
        for (var i = 0; i < TightLimitsServer.Tiles; i++)
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/tiles/sites/12/{2063 + i}/1457.mvt")).StatusCode);
        await AssertProblemAsync(await client.GetAsync("/tiles/communes/12/2063/1457.mvt"));

        for (var i = 0; i < TightLimitsServer.Maps; i++)
        {
            var map = await client.GetAsync("/maps/coverage/23.png?suggest=1");
            Assert.Equal(HttpStatusCode.OK, map.StatusCode);
            Assert.Equal("image/png", map.Content.Headers.ContentType?.MediaType);
        }
        // An image request (no JSON accepted) gets the message as plain text.
        using var image = new HttpRequestMessage(HttpMethod.Get, "/maps/coverage/23.png?suggest=1")
        {
            Headers = { { "Accept", "image/png" } },
        };
        var refused = await client.SendAsync(image);
        var text = await AssertRateLimitedAsync(refused);
        Assert.Equal("text/plain", refused.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("Trop de requêtes", text);

        // Searches from this address were not touched.
        Assert.Equal(HttpStatusCode.OK, (await PostGraphQLAsync(client, SitesQuery)).StatusCode);
    }

    [Fact]
    public async Task Static_files_and_health_are_never_limited()
    {
        using var client = server.From("127.0.0.15");
        for (var i = 0; i < 5 * TightLimitsServer.Searches; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/app/api.js")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/vendor/maplibre-gl/maplibre-gl.css")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
        }
    }

    [Fact]
    public async Task A_browser_on_another_site_can_read_the_refusal()
    {
        using var client = server.From("127.0.0.16");
        HttpResponseMessage last = null!;
        for (var i = 0; i <= TightLimitsServer.Searches; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/graphql?query=" + Uri.EscapeDataString(SitesQuery))
            {
                Headers = { { "Origin", "https://mairie.example" } },
            };
            last = await client.SendAsync(request);
        }
        await AssertGraphQLRateLimitedAsync(last);
        Assert.Equal("*", Assert.Single(last.Headers.GetValues("Access-Control-Allow-Origin")));
    }

    [Theory]
    [InlineData("::ffff:192.0.2.7", "192.0.2.7")]
    [InlineData("192.0.2.7", "192.0.2.7")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:3::1", "2001:db8:1:3::/64")]
    public void An_IPv6_client_draws_on_the_budget_of_its_64_network(string address, string budget) =>
        Assert.Equal(budget, RequestLimits.ClientKey(IPAddress.Parse(address)));
}
