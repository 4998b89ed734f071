using System.Net;
using System.Net.Http.Json;
using InclusionMap.Server.Tests.Limits;

namespace InclusionMap.Server.Tests.Security;

/// <summary>The security headers on every kind of answer, over real HTTP from the real server (behind a local proxy, for HSTS).</summary>
public sealed class SecurityHeadersTests(BehindLocalProxyServer server) : IClassFixture<BehindLocalProxyServer>
{
    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values)
            : "";

    /// <summary>The directives of the Content-Security-Policy, by name.</summary>
    private static Dictionary<string, string> Csp(HttpResponseMessage response) =>
        Header(response, "Content-Security-Policy").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .ToDictionary(d => d.Split(' ')[0], d => d.Contains(' ') ? d[(d.IndexOf(' ') + 1)..] : "");

    private static void AssertCommon(HttpResponseMessage response, bool framable = false)
    {
        var what = $"{response.RequestMessage!.Method} {response.RequestMessage.RequestUri!.PathAndQuery} ({(int)response.StatusCode})";
        Assert.True(Header(response, "X-Content-Type-Options") == "nosniff", what);
        Assert.True(Header(response, "Referrer-Policy") == "strict-origin-when-cross-origin", what);
        Assert.False(response.Headers.Contains("Server"), what);
        var csp = Csp(response);
        Assert.True(csp.GetValueOrDefault("script-src") == "'self'", $"{what}: {Header(response, "Content-Security-Policy")}");
        Assert.DoesNotContain("unsafe", Header(response, "Content-Security-Policy"));
        Assert.Equal(("'self'", "'self'", "'none'", "'none'"), (csp["default-src"], csp["style-src"], csp["object-src"], csp["base-uri"]));
        Assert.Equal("'self'", csp["worker-src"]);
        Assert.Equal("'self' data:", csp["img-src"]);
        if (framable) return;
        Assert.True(csp.GetValueOrDefault("frame-ancestors") == "'none'", what);
        Assert.True(Header(response, "X-Frame-Options") == "DENY", what);
    }

    private async Task<HttpResponseMessage> GetAsync(string path, string? accept = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (accept is not null) request.Headers.Accept.ParseAdd(accept);
        return await server.Client.SendAsync(request);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/couverture")]
    [InlineData("/widget.js")]
    [InlineData("/app/api.js")]
    [InlineData("/vendor/maplibre-gl/maplibre-gl.mjs")]
    [InlineData("/health")]
    [InlineData("/odata/$metadata")]
    [InlineData("/coverage/23.csv")]
    [InlineData("/tiles/sites/5/15/11.mvt")]
    [InlineData("/no/such/page")]
    [InlineData("/coverage/ZZ.csv")]
    public async Task Pages_apis_static_files_and_errors_carry_every_header(string path)
    {
        var response = await GetAsync(path);
        Assert.True(
            response.StatusCode is HttpStatusCode.OK or HttpStatusCode.NoContent or HttpStatusCode.NotFound or HttpStatusCode.BadRequest,
            $"{path}: {response.StatusCode}");
        AssertCommon(response);
    }

    [Fact]
    public async Task Graphql_answers_carry_the_headers_from_the_engine_and_from_the_output_cache()
    {
        const string query = "/graphql?query=%7B%20departements%20%7B%20code%20%7D%20%7D";
        var first = await GetAsync(query);
        var cached = await GetAsync(query);
        Assert.Equal(HttpStatusCode.OK, cached.StatusCode);
        AssertCommon(first);
        AssertCommon(cached);
        var post = await server.Client.PostAsJsonAsync("/graphql", new { query = "{ departements { code } }" });
        AssertCommon(post);
        var error = await server.Client.PostAsJsonAsync("/graphql", new { query = "{ nope }" });
        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        AssertCommon(error);
    }

    [Fact]
    public async Task Graphiql_alone_may_load_fonts_from_data_urls()
    {
        var graphiql = await GetAsync("/graphql", "text/html");
        Assert.Equal("text/html", graphiql.Content.Headers.ContentType!.MediaType);
        AssertCommon(graphiql);
        Assert.Equal("'self' data:", Csp(graphiql)["font-src"]);
        Assert.Equal("'self'", Csp(await GetAsync("/"))["font-src"]);
        Assert.Equal("'self'", Csp(await GetAsync("/graphql?query=%7B%20departements%20%7B%20code%20%7D%20%7D"))["font-src"]);
    }

    [Fact]
    public async Task The_embed_page_may_be_framed_by_any_site_and_the_others_by_none()
    {
        var embed = await GetAsync("/embed?commune=23096");
        Assert.Equal(HttpStatusCode.OK, embed.StatusCode);
        AssertCommon(embed, framable: true);
        Assert.False(Csp(embed).ContainsKey("frame-ancestors"));
        Assert.False(embed.Headers.Contains("X-Frame-Options"));
        var home = await GetAsync("/");
        Assert.Equal("'none'", Csp(home)["frame-ancestors"]);
    }

    [Fact]
    public async Task Hsts_is_sent_over_https_only()
    {
        Assert.False((await GetAsync("/")).Headers.Contains("Strict-Transport-Security"));
        // Behind a TLS reverse proxy on this machine (configured as known), under a public name (the library
        // leaves HSTS out for localhost and loopback addresses).
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Host = "inclusionmap.example";
        var behindTls = await server.Client.SendAsync(request);
        Assert.Equal("max-age=31536000", Header(behindTls, "Strict-Transport-Security"));
        AssertCommon(behindTls);
    }
}
