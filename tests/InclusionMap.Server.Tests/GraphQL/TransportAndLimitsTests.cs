using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace InclusionMap.Server.Tests.GraphQL;

/// <summary>GraphQL over HTTP (methods, media types, status codes, caching, CORS) and every limit with its error code.</summary>
public sealed class TransportAndLimitsTests(GraphQLServerFixture server) : IClassFixture<GraphQLServerFixture>
{
    private const string Simple = "{ sites(first: 2) { totalCount edges { node { id nom } } } }";

    private async Task<HttpResponseMessage> PostAsync(string body, string contentType = "application/json", string? accept = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (accept is not null) request.Headers.Accept.ParseAdd(accept);
        return await server.Client.SendAsync(request);
    }

    private async Task<HttpResponseMessage> GetAsync(string query, string? accept = null, string? variables = null)
    {
        var url = "/graphql?query=" + Uri.EscapeDataString(query)
            + (variables is null ? "" : "&variables=" + Uri.EscapeDataString(variables));
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (accept is not null) request.Headers.Accept.ParseAdd(accept);
        return await server.Client.SendAsync(request);
    }

    private static async Task<string> CodeAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]![0]!["extensions"]!["code"]!.GetValue<string>();

    [Fact]
    public async Task Post_and_get_give_the_same_data_with_the_negotiated_media_type()
    {
        var post = await PostAsync($$"""{"query": "{{Simple}}"}""");
        Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        Assert.Equal("application/graphql-response+json", post.Content.Headers.ContentType!.MediaType);
        var get = await GetAsync(Simple, accept: "application/json");
        Assert.Equal("application/json", get.Content.Headers.ContentType!.MediaType);
        Assert.Equal(JsonNode.Parse(await post.Content.ReadAsStringAsync())!.ToJsonString(),
            JsonNode.Parse(await get.Content.ReadAsStringAsync())!.ToJsonString());
        // UTF-8, not \u escapes.
        Assert.Contains("Guéret", await (await GetAsync("{ commune(code: \"23096\") { name } }")).Content.ReadAsStringAsync());
        var variables = await GetAsync("query($c: String!) { commune(code: $c) { name } }", variables: """{"c": "35238"}""");
        Assert.Equal("Rennes",
            JsonNode.Parse(await variables.Content.ReadAsStringAsync())!["data"]!["commune"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Documents_that_do_not_parse_or_validate_are_400_with_graphql_response_json_and_200_with_legacy_json()
    {
        var syntax = await PostAsync("""{"query": "{ sites(first: 2 { id }"}""");
        Assert.Equal(HttpStatusCode.BadRequest, syntax.StatusCode);
        Assert.Equal("SYNTAX_ERROR", await CodeAsync(syntax));
        var unknownField = await PostAsync("""{"query": "{ sites { nope } }"}""");
        Assert.Equal(HttpStatusCode.BadRequest, unknownField.StatusCode);
        Assert.Contains("nope", await unknownField.Content.ReadAsStringAsync());
        var legacy = await PostAsync("""{"query": "{ sites { nope } }"}""", accept: "application/json");
        Assert.Equal(HttpStatusCode.OK, legacy.StatusCode);
        Assert.NotNull(JsonNode.Parse(await legacy.Content.ReadAsStringAsync())!["errors"]);
    }

    [Theory]
    [InlineData("{", "INVALID_REQUEST")]
    [InlineData("[]", "INVALID_REQUEST")]
    [InlineData("\"query\"", "INVALID_REQUEST")]
    [InlineData("{\"query\": 42}", "INVALID_REQUEST")]
    [InlineData("{\"variables\": {}}", "INVALID_REQUEST")]
    [InlineData("{\"query\": \"\"}", "INVALID_REQUEST")]
    [InlineData("{\"query\": \"{ __typename }\", \"variables\": \"not an object\"}", "INVALID_REQUEST")]
    [InlineData("\u0000\u0001", "INVALID_REQUEST")]
    public async Task Malformed_bodies_are_400_never_500(string body, string code)
    {
        var response = await PostAsync(body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(code, await CodeAsync(response));
    }

    [Fact]
    public async Task Wrong_content_type_huge_bodies_unacceptable_accept_and_other_methods_are_refused_with_their_status()
    {
        var form = await PostAsync("query={__typename}", "application/x-www-form-urlencoded");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, form.StatusCode);
        var huge = await PostAsync("{\"query\": \"{ __typename }\", \"extensions\": {\"pad\": \"" + new string('x', 70_000) + "\"}}");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        Assert.Equal("REQUEST_TOO_LARGE", await CodeAsync(huge));
        var xml = await PostAsync($$"""{"query": "{{Simple}}"}""", accept: "application/xml");
        Assert.Equal(HttpStatusCode.NotAcceptable, xml.StatusCode);
        var put = await server.Client.PutAsync("/graphql", new StringContent("{}"));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, put.StatusCode);
    }

    [Fact]
    public async Task A_mutation_over_get_is_405()
    {
        var response = await GetAsync("mutation { doSomething }");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("POST", response.Content.Headers.Allow.Single());
        Assert.Equal("METHOD_NOT_ALLOWED", await CodeAsync(response));
    }

    [Fact]
    public async Task Get_answers_carry_cache_headers_and_an_etag_that_answers_304()
    {
        var first = await GetAsync(Simple);
        Assert.Equal("public, max-age=60", first.Headers.CacheControl!.ToString());
        var etag = first.Headers.ETag!;
        using var again = new HttpRequestMessage(HttpMethod.Get, "/graphql?query=" + Uri.EscapeDataString(Simple));
        again.Headers.IfNoneMatch.Add(etag);
        Assert.Equal(HttpStatusCode.NotModified, (await server.Client.SendAsync(again)).StatusCode);
        var post = await PostAsync($$"""{"query": "{{Simple}}"}""");
        Assert.Equal("no-store", post.Headers.CacheControl!.ToString());
    }

    [Fact]
    public async Task Answers_are_sent_whole_with_their_length_and_compressed_when_asked()
    {
        foreach (var response in new[] { await PostAsync($$"""{"query": "{{Simple}}"}"""), await GetAsync(Simple) })
        {
            var body = await response.Content.ReadAsByteArrayAsync();
            Assert.Equal(body.Length, response.Content.Headers.ContentLength);
            Assert.False(response.Headers.TransferEncodingChunked ?? false);
            Assert.Contains("\"totalCount\"", Encoding.UTF8.GetString(body));
        }

        using var gzip = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = new StringContent($$"""{"query": "{{Simple}}"}""", Encoding.UTF8, "application/json"),
        };
        gzip.Headers.AcceptEncoding.ParseAdd("gzip");
        using var compressed = await server.Client.SendAsync(gzip);
        Assert.Equal("gzip", compressed.Content.Headers.ContentEncoding.Single());
        await using var unzipped = new System.IO.Compression.GZipStream(await compressed.Content.ReadAsStreamAsync(),
            System.IO.Compression.CompressionMode.Decompress);
        var json = await new StreamReader(unzipped).ReadToEndAsync();
        Assert.Equal(await (await PostAsync($$"""{"query": "{{Simple}}"}""")).Content.ReadAsStringAsync(), json);
    }

    [Fact]
    public async Task Get_answers_without_errors_are_served_from_the_output_cache_per_query_and_variables_for_every_origin()
    {
        const string query = "query($c: String!) { sites(communeCode: $c, first: 3) { edges { node { id nom } } } }";
        server.Sql.Drain();
        var first = await GetAsync(query, variables: """{"c": "23096"}""");
        Assert.NotEmpty(server.Sql.Drain());
        var again = await GetAsync(query, variables: """{"c": "23096"}""");
        Assert.Empty(server.Sql.Drain()); // no SQL: answered from memory
        Assert.NotNull(again.Headers.Age);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());
        Assert.Equal(first.Headers.ETag, again.Headers.ETag);

        // Other variables are another answer, computed.
        var other = await GetAsync(query, variables: """{"c": "35238"}""");
        Assert.NotEmpty(server.Sql.Drain());
        Assert.Null(other.Headers.Age);
        Assert.NotEqual(await first.Content.ReadAsStringAsync(), await other.Content.ReadAsStringAsync());

        // A partner page (Origin) gets the copy kept for a request without one: it carries the CORS header.
        var corsResponse = await server.GetAsync(query, """{"c": "23096"}""", origin: "https://partner.example");
        Assert.NotNull(corsResponse.Headers.Age);
        Assert.Equal("*", corsResponse.Headers.GetValues("Access-Control-Allow-Origin").Single());

        // Answers with errors are not kept.
        const string tooLarge = "{ sites(first: 1000) { edges { node { id } } } }";
        Assert.Equal("no-store", (await GetAsync(tooLarge)).Headers.CacheControl!.ToString());
        var errorAgain = await GetAsync(tooLarge);
        Assert.Null(errorAgain.Headers.Age);
        Assert.Equal("PAGE_SIZE_EXCEEDED", await CodeAsync(errorAgain));
    }

    /// <summary>
    /// A shared cache as a CDN or a proxy keeps it: GET answers marked public, one copy per URL and per value of the
    /// request headers their <c>Vary</c> names, served while fresh.
    /// </summary>
    private sealed class SharedCache(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        private sealed record Copy(Dictionary<string, string> Varying, HttpStatusCode Status,
            List<KeyValuePair<string, IEnumerable<string>>> Headers, List<KeyValuePair<string, IEnumerable<string>>> ContentHeaders,
            byte[] Body)
        {
            public HttpResponseMessage Serve()
            {
                var response = new HttpResponseMessage(Status) { Content = new ByteArrayContent(Body) };
                foreach (var (name, values) in Headers) response.Headers.TryAddWithoutValidation(name, values);
                foreach (var (name, values) in ContentHeaders) response.Content.Headers.TryAddWithoutValidation(name, values);
                return response;
            }
        }

        private readonly Dictionary<string, Copy> _copies = [];

        public int Hits { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var url = request.RequestUri!.ToString();
            if (_copies.TryGetValue(url, out var copy) && copy.Varying.All(h => Header(request, h.Key) == h.Value))
            {
                Hits++;
                return copy.Serve();
            }
            var response = await base.SendAsync(request, cancellationToken);
            if (response.Headers.CacheControl is not { Public: true, MaxAge: not null }) return response;
            copy = new Copy(response.Headers.Vary.ToDictionary(h => h, h => Header(request, h)), response.StatusCode,
                [.. response.Headers], [.. response.Content.Headers], await response.Content.ReadAsByteArrayAsync(cancellationToken));
            _copies[url] = copy;
            return copy.Serve();
        }

        private static string Header(HttpRequestMessage request, string name) =>
            request.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : "";
    }

    [Fact]
    public async Task A_shared_cache_never_hands_a_partner_page_a_copy_its_browser_would_refuse()
    {
        var cache = new SharedCache(new SocketsHttpHandler());
        using var viaCdn = new HttpClient(cache) { BaseAddress = server.Client.BaseAddress };
        var url = "/graphql?query=" + Uri.EscapeDataString("{ sites(communeCode: \"16015\", first: 2) { nodes { id nom } } }");
        HttpRequestMessage FromPartner()
        {
            var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Add("Origin", "https://mairie.example");
            return request;
        }
        static void AssertReadableByPartner(HttpResponseMessage response)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(response.Headers.TryGetValues("Access-Control-Allow-Origin", out var allowed)
                && allowed.Single() is "*" or "https://mairie.example", "the partner page's browser would refuse this copy");
            Assert.Contains("ETag", response.Headers.GetValues("Access-Control-Expose-Headers").Single());
        }

        // A crawler or a server-side client asks first, without Origin: the answer may be kept, varies on Origin and
        // Accept, and carries the CORS headers all the same (a cache that ignores Vary still hands on a working copy).
        var first = await viaCdn.GetAsync(url);
        Assert.Equal("public, max-age=60", first.Headers.CacheControl!.ToString());
        Assert.Equal(["Accept", "Origin"], first.Headers.Vary.Order());
        AssertReadableByPartner(first);
        // Then the widget on a partner's page: a cache that honours Vary asks the server, and keeps that copy for the origin.
        using var widget = FromPartner();
        var second = await viaCdn.SendAsync(widget);
        Assert.Equal(0, cache.Hits);
        AssertReadableByPartner(second);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        using var again = FromPartner();
        AssertReadableByPartner(await viaCdn.SendAsync(again));
        Assert.Equal(1, cache.Hits);
    }

    [Fact]
    public async Task Cors_lets_partner_pages_read_with_get_and_post()
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/graphql");
        preflight.Headers.Add("Origin", "https://partenaire.example");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "content-type");
        var answer = await server.Client.SendAsync(preflight);
        Assert.Equal("*", answer.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("POST", answer.Headers.GetValues("Access-Control-Allow-Methods").Single());
        using var get = new HttpRequestMessage(HttpMethod.Get, "/graphql?query=" + Uri.EscapeDataString(Simple));
        get.Headers.Add("Origin", "https://partenaire.example");
        Assert.Equal("*", (await server.Client.SendAsync(get)).Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [Fact]
    public async Task A_browser_gets_graphiql_from_our_own_files()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/graphql");
        request.Headers.Accept.ParseAdd("text/html");
        var page = await server.Client.SendAsync(request);
        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.DoesNotContain("http", html.Replace("http-equiv", "", StringComparison.Ordinal), StringComparison.Ordinal); // no CDN
        foreach (var asset in new[]
        {
            "/vendor/graphiql/graphiql.min.js", "/vendor/graphiql/graphiql.min.css", "/vendor/react/react.production.min.js",
            "/vendor/react/react-dom.production.min.js",
        })
        {
            Assert.Contains(asset, html);
            Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync(asset)).StatusCode);
        }
    }

    [Theory]
    [InlineData("{ sites(first: 101) { totalCount } }", "PAGE_SIZE_EXCEEDED")]
    [InlineData("{ sites(first: -1) { totalCount } }", "BAD_USER_INPUT")]
    [InlineData("{ communes(first: 500) { totalCount } }", "PAGE_SIZE_EXCEEDED")]
    [InlineData("{ communeSuggestions(query: \"gu\", first: 50) { code } }", "PAGE_SIZE_EXCEEDED")]
    [InlineData("{ sites(near: {latitude: 46, longitude: 2}, radiusMeters: 100001) { totalCount } }", "RADIUS_TOO_LARGE")]
    [InlineData("{ sites(radiusMeters: 1000) { totalCount } }", "BAD_USER_INPUT")]
    [InlineData("{ sites(near: {latitude: 95, longitude: 2}) { totalCount } }", "BAD_USER_INPUT")]
    [InlineData("{ sites(bbox: {west: 5, south: 44, east: 4, north: 45}) { totalCount } }", "BAD_USER_INPUT")]
    [InlineData("{ sites(after: \"not-a-cursor\") { totalCount } }", "BAD_CURSOR")]
    [InlineData("{ sites(after: \"ZDox\") { totalCount } }", "BAD_CURSOR")] // "d:1": a distance cursor without near
    [InlineData("{ sites(within: {type: \"Point\", coordinates: [2, 46]}) { totalCount } }", "INVALID_GEOMETRY")]
    [InlineData("{ sites(within: {type: \"Polygon\", coordinates: [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}) { totalCount } }",
        "INVALID_GEOMETRY")]
    [InlineData("{ sites(search: \"a\") { totalCount } }", "BAD_USER_INPUT")]
    [InlineData("{ sites(openAt: \"2026-07-15T10:00:00+02:00\") { totalCount } }", "OPEN_AT_TOO_BROAD")]
    public async Task Limits_and_bad_arguments_give_a_readable_error_with_its_code(string query, string code)
    {
        var body = await server.QueryAsync(query);
        var error = Assert.Single(body["errors"]!.AsArray())!;
        Assert.Equal(code, error["extensions"]!["code"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(error["message"]!.GetValue<string>()));
        Assert.DoesNotContain("   at ", body.ToJsonString());
    }

    [Fact]
    public async Task A_cursor_from_a_search_around_another_point_is_refused()
    {
        var page =
            (await server.DataAsync("{ sites(near: {latitude: 46.17, longitude: 1.87}, first: 2) { pageInfo { endCursor } } }"))["sites"]!;
        var cursor = page["pageInfo"]!["endCursor"]!.GetValue<string>();
        Assert.Equal("BAD_CURSOR",
            await server.ErrorCodeAsync($$"""{ sites(near: {latitude: 48.1, longitude: -1.6}, after: "{{cursor}}") { totalCount } }"""));
        Assert.Equal("BAD_CURSOR", await server.ErrorCodeAsync($$"""{ sites(after: "{{cursor}}") { totalCount } }"""));
    }

    [Fact]
    public async Task Too_deep_and_too_complex_documents_are_refused_even_when_their_document_is_cached()
    {
        var deep = "{ sites(first: 1) { edges { node { commune { departement { communes(first: 1) { edges { node { departement "
            + "{ communes(first: 1) { edges { node { code } } } } } } } } } } } } }";
        Assert.Equal("MAX_DEPTH_EXCEEDED", await server.ErrorCodeAsync(deep, status: 400));
        var complex = "{ a: sites(first: 100) { edges { node { id nom commune { name sites(first: 100) "
            + "{ edges { node { id nom sources { dataset } } } } } } } } }";
        Assert.Equal("MAX_COMPLEXITY_EXCEEDED", await server.ErrorCodeAsync(complex, status: 400));
        // Same texts again: the parsed-document cache must not bypass the limits.
        Assert.Equal("MAX_DEPTH_EXCEEDED", await server.ErrorCodeAsync(deep, status: 400));
        Assert.Equal("MAX_COMPLEXITY_EXCEEDED", await server.ErrorCodeAsync(complex, status: 400));
    }

    [Fact]
    public async Task A_document_that_ran_once_within_the_limits_is_priced_again_with_other_variables()
    {
        // The cost grows with first: the same text runs with a small page, and is refused with a large one.
        const string probe = "query Probe($first: Int) { sites(first: $first) { edges { node { id nom commune { geometry " +
                             "sites(first: 1) { totalCount } } } } } }";
        Assert.NotEmpty((await server.DataAsync(probe, new { first = 5 }))["sites"]!["edges"]!.AsArray());
        Assert.Equal("MAX_COMPLEXITY_EXCEEDED", await server.ErrorCodeAsync(probe, new { first = 100 }, status: 400));
    }

    [Fact]
    public async Task A_page_with_communes_costs_a_constant_number_of_sql_commands()
    {
        async Task<int> CommandsAsync(int first)
        {
            var query = $"{{ sites(first: {first}) {{ edges {{ node {{ id commune {{ name }} sources {{ dataset }} }} }} }} }}";
            await server.DataAsync(query); // parse once
            server.Sql.Drain();
            await server.DataAsync(query);
            return server.Sql.Drain().Count;
        }
        var ten = await CommandsAsync(10);
        var fifty = await CommandsAsync(50);
        Assert.Equal(3, fifty); // the page, its communes, its sources
        Assert.Equal(ten, fifty);
    }
}
