using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace InclusionMap.Server.Tests.GraphQL;

/// <summary>
/// Every refusal has a stable code of the project's vocabulary (the table of docs/api-graphql.md) and a readable message:
/// never SQL, exception type names, .NET advice, file paths or stack traces. An unexpected failure is logged with the
/// request's trace id, and the client gets that id with a generic message.
/// </summary>
public sealed partial class ErrorCodesTests(GraphQLServerFixture server) : IClassFixture<GraphQLServerFixture>
{
    /// <summary>What an error message must never show.</summary>
    private static readonly string[] Leaks =
    [
        "Exception", "System.", "Npgsql", "Postgres", "JsonNumberHandling", "NetTopologySuite", "SELECT ", "FROM ", "permission denied",
        "   at ", "/work/", ".cs:", "InclusionMap.",
    ];

    private async Task<(int Status, JsonNode Body)> PostRawAsync(string body)
    {
        var response = await server.Client.PostAsync("/graphql", new StringContent(body, Encoding.UTF8, "application/json"));
        return ((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    /// <summary>The codes docs/api-graphql.md lists in its table of errors.</summary>
    private static HashSet<string> DocumentedCodes()
    {
        var docs = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "api-graphql.md"));
        var table = docs[docs.IndexOf("## Errors", StringComparison.Ordinal)..];
        table = table[..table.IndexOf("\n\n", table.IndexOf("| code", StringComparison.Ordinal), StringComparison.Ordinal)];
        var codes = table.Split('\n').Where(l => l.StartsWith("| `", StringComparison.Ordinal))
            .SelectMany(l => CodePattern().Matches(l.Split('|')[1]).Select(m => m.Groups[1].Value)).ToHashSet();
        Assert.True(codes.Count > 10, "the table of error codes was not found in docs/api-graphql.md");
        return codes;
    }

    [GeneratedRegex("`([A-Z][A-Z_]+)`")]
    private static partial Regex CodePattern();

    /// <summary>A POST body: the query (GraphQL text, its escapes as written), raw JSON variables, an operation name.</summary>
    private static string Request(string query, string? variables = null, string? operationName = null) =>
        $"{{\"query\": {JsonSerializer.Serialize(query)}, \"variables\": {variables ?? "null"}, "
        + $"\"operationName\": {JsonSerializer.Serialize(operationName)}}}";

    /// <summary>Hostile or unlucky requests (a POST body), each with the code it must get.</summary>
    public static TheoryData<string, string> Refusals() => new()
    {
        // A NUL byte in any text that reaches SQL: commune search, suggestions, lookups, coverage, as literal or variable.
        { Request("""{ communes(search: "ab\u0000c") { totalCount } }"""), "BAD_USER_INPUT" },
        { Request("""{ communeSuggestions(query: "ab\u0000c") { code } }"""), "BAD_USER_INPUT" },
        { Request("""{ commune(code: "2\u00003096") { name } }"""), "BAD_USER_INPUT" },
        { Request("""{ departement(code: "2\u00003") { name } }"""), "BAD_USER_INPUT" },
        { Request("""{ coverage(departementCode: "2\u00003") { summary { sites } } }"""), "BAD_USER_INPUT" },
        { Request("""{ coverage(communeCodes: ["2\u00003096"]) { summary { sites } } }"""), "BAD_USER_INPUT" },
        { Request("query($q: String!) { communeSuggestions(query: $q) { code } }", """{"q": "ab\u0000c"}"""), "BAD_USER_INPUT" },
        { Request("query($c: [String!]) { coverage(communeCodes: $c) { summary { sites } } }", """{"c": ["23\u0000096"]}"""),
          "BAD_USER_INPUT" },
        { Request("""{ communes(search: "ab\u0007c") { totalCount } }"""), "BAD_USER_INPUT" },
        // Numbers no type can hold, in variables and literals.
        { Request("query($f: Int) { sites(first: $f) { totalCount } }", """{"f": 1e400}"""), "BAD_USER_INPUT" },
        { Request("query($f: Int) { sites(first: $f) { totalCount } }", """{"f": 99999999999999999999}"""), "BAD_USER_INPUT" },
        { Request(NearRadius, """{"r": 1e400}"""), "BAD_USER_INPUT" },
        { Request(NearRadius, """{"r": "NaN"}"""), "BAD_USER_INPUT" },
        { Request(Within, """{"w": {"type": "Polygon", "coordinates": [[[0, 0], [1e400, 1], [1, 0], [0, 0]]]}}"""), "BAD_USER_INPUT" },
        { Request(Within, """{"w": {"type": "Nope", "coordinates": 5}}"""), "BAD_USER_INPUT" },
        { Request("""{ sites(within: {type: "Polygon", coordinates: [[[0, 0], [1e400, 1], [1, 0], [0, 0]]]}) { totalCount } }"""),
          "BAD_USER_INPUT" },
        { Request("""{ sites(within: {type: "Nope", coordinates: 5}) { totalCount } }"""), "BAD_USER_INPUT" },
        { Request("""{ coverage(departementCode: "23", maxDistanceMeters: 1e400) { summary { sites } } }"""), "BAD_USER_INPUT" },
        { Request("""{ coverage(departementCode: "23", maxDistanceMeters: -5) { summary { sites } } }"""), "BAD_USER_INPUT" },
        { Request("""{ coverage(departementCode: "23", suggest: -1) { summary { sites } } }"""), "BAD_USER_INPUT" },
        { Request("{ coverage { summary { sites } } }"), "BAD_USER_INPUT" },
        // Instants beyond the years an instant may fall in (they overflowed the calendar), as literal or variable.
        { Request("""{ sites(communeCode: "23096", openAt: "0001-01-01T00:00:00+14:00") { totalCount } }"""), "BAD_USER_INPUT" },
        { Request("""{ sites(communeCode: "23096", openAt: "9999-12-30T10:00:00Z") { totalCount } }"""), "BAD_USER_INPUT" },
        { Request(OpenAt, """{"t": "0001-01-01T00:00:00+14:00"}"""), "BAD_USER_INPUT" },
        { Request("""{ sites(first: 1) { nodes { openingHours { nextOpening(after: "9999-12-30T10:00:00Z") } } } }"""), "BAD_USER_INPUT" },
        { Request("""{ sites(first: 2) { nodes { openingHours { isOpenAt(at: "0001-01-01T00:00:00+14:00") } } } }"""), "BAD_USER_INPUT" },
        { Request("""{ sites(first: 2) { nodes { openingHours { nextOpening(after: "9999-12-31T23:59:59-12:00") } } } }"""),
          "BAD_USER_INPUT" },
        // Cursors made by hand: garbage, a distance that is not a finite number ("d:46,2:NaN:5", "d:46,2:-Infinity:5"), a
        // commune cursor that is not ("nope"), or carries a NUL to the database ("c:23\u00000").
        { Request("""{ sites(after: "%%%") { totalCount } }"""), "BAD_CURSOR" },
        { Request("""{ sites(near: {latitude: 46, longitude: 2}, after: "ZDo0NiwyOk5hTjo1") { totalCount } }"""), "BAD_CURSOR" },
        { Request("""{ sites(near: {latitude: 46, longitude: 2}, after: "ZDo0NiwyOi1JbmZpbml0eTo1") { totalCount } }"""), "BAD_CURSOR" },
        { Request("""{ communes(after: "bm9wZQ") { totalCount } }"""), "BAD_CURSOR" },
        { Request("""{ communes(after: "YzoyMwAw") { totalCount } }"""), "BAD_CURSOR" },
        // Documents and requests that are wrong as such.
        { Request("{ nope }"), "GRAPHQL_VALIDATION_FAILED" },
        { Request("""{ sites(first: "ten") { totalCount } }"""), "BAD_USER_INPUT" },
        { Request("{ sites( }"), "SYNTAX_ERROR" },
        { Request("query A { __typename }", operationName: "B"), "INVALID_REQUEST" },
        { Request("query A { __typename } query B { __typename }"), "INVALID_REQUEST" },
    };

    private const string NearRadius = "query($r: Float) { sites(near: {latitude: 46, longitude: 2}, radiusMeters: $r) { totalCount } }";
    private const string Within = "query($w: GeoJSON) { sites(within: $w) { totalCount } }";
    private const string OpenAt = "query($t: DateTime) { sites(communeCode: \"23096\", openAt: $t) { totalCount } }";

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Every_refusal_has_a_documented_code_and_a_readable_message(string request, string code)
    {
        var (status, body) = await PostRawAsync(request);
        Assert.InRange(status, 200, 499);
        var errors = body["errors"]!.AsArray();
        Assert.NotEmpty(errors);
        var documented = DocumentedCodes();
        foreach (var error in errors)
        {
            var message = error!["message"]!.GetValue<string>();
            Assert.False(string.IsNullOrWhiteSpace(message));
            Assert.DoesNotContain(Leaks, leak => message.Contains(leak, StringComparison.Ordinal));
            var extensions = error["extensions"]!.AsObject();
            var actual = extensions["code"]!.GetValue<string>();
            Assert.Contains(actual, documented);
            // One code, never codes named after the .NET exceptions behind it.
            Assert.Null(extensions["codes"]);
            Assert.Matches("^[0-9a-f]{32}$", extensions["traceId"]!.GetValue<string>());
        }
        Assert.Equal(code, errors[0]!["extensions"]!["code"]!.GetValue<string>());
    }

    /// <summary>Refused values, each with the reason its message must give.</summary>
    public static TheoryData<string, string> Reasons() => new()
    {
        // An instant beyond the years it may fall in, as a literal and as a variable, and one that is not an instant.
        { Request("""{ sites(communeCode: "23096", openAt: "0001-01-01T00:00:00+14:00") { totalCount } }"""),
          "Invalid literal for argument 'openAt' of field 'sites'. A date and time must fall in the years 1900 to 2200; this one is in 1."
        },
        { Request(OpenAt, """{"t": "9999-12-31T23:59:59-12:00"}"""),
          "A date and time must fall in the years 1900 to 2200; this one is in 9999." },
        { Request(OpenAt, """{"t": "next tuesday"}"""),
          "Not an ISO 8601 date and time (e.g. 2026-07-14T10:00:00+02:00) in the years 1900 to 2200." },
        // A GeoJSON variable that is not one: the reason, not only "unable to convert".
        { Request(Within, """{"w": {"type": "Polygon", "coordinates": [[[0, 0], [1e400, 1], [1, 0], [0, 0]]]}}"""),
          "GeoJSON coordinates must be finite numbers." },
        { Request(Within, """{"w": {"type": "Nope", "coordinates": 5}}"""), "Not a GeoJSON geometry (RFC 7946)" },
        // A NUL byte: which argument, and why.
        { Request("""{ sites(search: "ab\u0000c") { totalCount } }"""),
          "Argument 'search' of field 'sites' holds a NUL character (U+0000), which no text here may hold." },
    };

    [Theory]
    [MemberData(nameof(Reasons))]
    public async Task A_refused_value_says_why(string request, string reason)
    {
        var (status, body) = await PostRawAsync(request);
        Assert.Equal(400, status);
        var error = Assert.Single(body["errors"]!.AsArray())!;
        Assert.Equal("BAD_USER_INPUT", error["extensions"]!["code"]!.GetValue<string>());
        Assert.Contains(reason, error["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Every_error_carries_the_trace_id_of_the_request()
    {
        // A caller that traces its requests (W3C traceparent) finds its own trace id on every error, whatever refused it.
        const string traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        async Task<List<string?>> TraceIdsAsync(HttpMethod method, string? query, string? body = null, string accept = "application/json")
        {
            var url = query is null ? "/graphql" : "/graphql?query=" + Uri.EscapeDataString(query);
            using var request = new HttpRequestMessage(method, url);
            request.Headers.Add("traceparent", $"00-{traceId}-00f067aa0ba902b7-01");
            request.Headers.Add("Accept", accept);
            if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
            var response = await server.Client.SendAsync(request);
            var errors = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]!.AsArray();
            Assert.NotEmpty(errors);
            return errors.Select(e => e!["extensions"]!["traceId"]?.GetValue<string>()).ToList();
        }

        var answers = new[]
        {
            await TraceIdsAsync(HttpMethod.Get, "{ nope }"), // does not fit the schema
            await TraceIdsAsync(HttpMethod.Get, "{ sites(first: 500) { totalCount } }"), // a field refuses its argument
            await TraceIdsAsync(HttpMethod.Post, null, """{"query": "{ sites( }"}"""), // does not parse
            await TraceIdsAsync(HttpMethod.Post, null,
                Request("{ a: sites(first: 500) { totalCount } b: sites(first: 600) { totalCount } }")),
            await TraceIdsAsync(HttpMethod.Post, null, "[1, 2]"), // not a GraphQL request
            await TraceIdsAsync(HttpMethod.Get, "{ __typename }", accept: "text/csv"), // nothing it can answer
        };
        Assert.All(answers.SelectMany(a => a), id => Assert.Equal(traceId, id));
        Assert.Equal(2, answers[3].Count);
    }

    [Fact]
    public async Task A_coverage_whose_filter_matches_no_site_has_no_median_distance()
    {
        // No place of the catalogue offers this at a distance to women: the nearest matching site is infinitely far.
        var coverage = (await server.DataAsync("""
            { coverage(departementCode: "23", services: [ACQUISITION_DE_MATERIEL_INFORMATIQUE_A_PRIX_SOLIDAIRE], publics: [FEMMES],
                       modalites: [A_DISTANCE], suggest: 0) {
                summary { sites peopleInNeed peopleInNeedBeyond medianDistanceMeters } gaps(first: 3) { code nearestDistanceMeters } } }
            """))["coverage"]!;
        var summary = coverage["summary"]!;
        Assert.Equal(0, summary["sites"]!.GetValue<int>());
        Assert.Null(summary["medianDistanceMeters"]);
        Assert.Equal(summary["peopleInNeed"]!.GetValue<double>(), summary["peopleInNeedBeyond"]!.GetValue<double>(), 6);
        Assert.All(coverage["gaps"]!.AsArray(), g => Assert.Null(g!["nearestDistanceMeters"]));
    }

    [Fact]
    public async Task An_unexpected_failure_is_logged_with_the_trace_id_the_client_gets_and_nothing_else_leaks()
    {
        // A failure nobody planned for: the API's role lost its right to read the départements (a botched grant).
        await server.ScalarAsync<object>($"REVOKE SELECT ON departements FROM {InclusionMap.Data.CatalogueRoles.Reader}");
        try
        {
            var body = await server.QueryAsync("{ vocabularies { fraisACharge { value } } departement(code: \"23\") { name } }",
                allowStatus: 200);
            var error = Assert.Single(body["errors"]!.AsArray())!;
            Assert.Equal("INTERNAL_ERROR", error["extensions"]!["code"]!.GetValue<string>());
            var message = error["message"]!.GetValue<string>();
            Assert.DoesNotContain(Leaks, leak => message.Contains(leak, StringComparison.Ordinal));
            Assert.Equal("departement", error["path"]![0]!.GetValue<string>());
            Assert.Null(body["data"]!["departement"]);
            Assert.NotEmpty(body["data"]!["vocabularies"]!["fraisACharge"]!.AsArray()); // the rest of the answer is intact
            var traceId = error["extensions"]!["traceId"]!.GetValue<string>();
            Assert.False(string.IsNullOrEmpty(traceId));
            // The log has the trace id and the real cause, for whoever reads it.
            var logged = Assert.Single(server.Logs.Entries,
                e => e.Level == LogLevel.Error && e.Message.Contains(traceId, StringComparison.Ordinal));
            Assert.Contains("departement", logged.Message);
            Assert.Contains(Causes(logged.Exception), e => e is Npgsql.PostgresException);
        }
        finally
        {
            await server.ScalarAsync<object>($"GRANT SELECT ON departements TO {InclusionMap.Data.CatalogueRoles.Reader}");
        }
        Assert.NotEmpty((await server.DataAsync("{ departements { code } }"))["departements"]!.AsArray());
    }

    private static IEnumerable<Exception> Causes(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException) yield return e;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "InclusionMap.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException();
    }
}
