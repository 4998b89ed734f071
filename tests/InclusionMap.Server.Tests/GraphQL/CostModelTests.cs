using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using InclusionMap.Server.GraphQL;

namespace InclusionMap.Server.Tests.GraphQL;

/// <summary>
/// The cost limit counts what a document really does (docs/api-graphql.md, "Cost"): a page of sites and its columns are
/// cheap, statements per item, nested lists, <c>openAt</c> and <c>coverage</c> are not, and every alias counts. Refusals
/// come before anything runs, by GET as by POST.
/// </summary>
public sealed class CostModelTests(GraphQLServerFixture server) : IClassFixture<GraphQLServerFixture>
{
    /// <summary>The plain fields a map or a list shows: 24 of them.</summary>
    private const string MapFields = "id pivot nom communeName codePostal codeInsee adresse complementAdresse location latitude longitude "
        + "typologie telephone courriels siteWeb horaires presentationResume source itinerance structureParente dateMaj services "
        + "fraisACharge priseRdv";

    private const string OpenAt = "2026-07-15T10:00:00+02:00";

    private static string OpenAtAliases(int count) => "{ " + string.Concat(Enumerable.Range(0, count).Select(i =>
        $"a{i}: sites(departementCode: \"23\", openAt: \"{OpenAt}\", first: 1) {{ totalCount }} ")) + "}";

    private async Task<(int Status, JsonNode Body)> PostAsync(string query, object? variables = null)
    {
        var response = await server.Client.PostAsJsonAsync("/graphql", new { query, variables });
        return ((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    private static string? Code(JsonNode body) => body["errors"]?[0]?["extensions"]?["code"]?.GetValue<string>();

    [Fact]
    public async Task A_map_page_of_100_sites_with_its_common_fields_is_accepted_by_post_and_get()
    {
        var query = $"{{ sites(first: 100) {{ totalCount nodes {{ {MapFields} }} pageInfo {{ endCursor }} }} }}";
        var data = await server.DataAsync(query);
        Assert.Equal(100, data["sites"]!["nodes"]!.AsArray().Count);
        var get = await server.GetAsync(query);
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Null(JsonNode.Parse(await get.Content.ReadAsStringAsync())!["errors"]);
        // Through edges too, with the distance: what the residents' list asks.
        var near = $"{{ sites(near: {{latitude: 46.17, longitude: 1.87}}, first: 100) "
            + $"{{ edges {{ cursor distanceMeters node {{ {MapFields} }} }} }} }}";
        Assert.Equal(100, (await server.DataAsync(near))["sites"]!["edges"]!.AsArray().Count);
    }

    [Fact]
    public async Task Aliases_of_open_at_are_each_counted_and_a_hundred_are_refused_before_anything_runs()
    {
        // Four searches open at an instant are within the limit and run.
        var four = await server.DataAsync(OpenAtAliases(4));
        Assert.All(Enumerable.Range(0, 4), i => Assert.True(four[$"a{i}"]!["totalCount"]!.GetValue<int>() >= 0));
        // A fifth alias is one too many: each is priced.
        var (status, five) = await PostAsync(OpenAtAliases(5));
        Assert.Equal((400, "MAX_COMPLEXITY_EXCEEDED"), (status, Code(five)));
        // Given by a variable, openAt is priced the same; left null, it costs nothing.
        var byVariable = "query($t: DateTime) { " + string.Concat(Enumerable.Range(0, 5).Select(i =>
            $"a{i}: sites(departementCode: \"23\", openAt: $t, first: 1) {{ totalCount }} ")) + "}";
        var (variableStatus, variable) = await PostAsync(byVariable, new { t = OpenAt });
        Assert.Equal((400, "MAX_COMPLEXITY_EXCEEDED"), (variableStatus, Code(variable)));
        Assert.Equal(5, (await server.DataAsync(byVariable, new { t = (string?)null })).AsObject().Count);

        await server.DataAsync("{ __typename }"); // warm: the bound below is on pricing, not on the first request's start-up
        server.Sql.Drain();
        var watch = Stopwatch.StartNew();
        var (hundredStatus, hundred) = await PostAsync(OpenAtAliases(100));
        watch.Stop();
        Assert.Equal((400, "MAX_COMPLEXITY_EXCEEDED"), (hundredStatus, Code(hundred)));
        Assert.Empty(server.Sql.Drain()); // refused before any statement
        // The bound for a hostile request (under 2 s): a hundred of them took 3.2 s when they ran; refused, they
        // are priced in milliseconds.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"{watch.Elapsed.TotalMilliseconds} ms");
        Assert.Contains("costs", hundred["errors"]![0]!["message"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(4)] // 14 levels: parsed, then refused by the depth limit
    [InlineData(20)] // 62 levels: the GET that answered 500
    [InlineData(40)] // 122 levels, beyond what the parser reads (it answered 500 by GET)
    public async Task Deep_nesting_is_refused_by_get_and_post_alike(int repeats)
    {
        var query = "{ commune(code: \"23096\") { "
            + string.Concat(Enumerable.Repeat("departement { communes(first: 1) { nodes { ", repeats))
            + "code" + new string('}', 3 * repeats) + " } }";
        var (status, post) = await PostAsync(query);
        Assert.Equal((400, "MAX_DEPTH_EXCEEDED"), (status, Code(post)));
        var get = await server.GetAsync(query);
        Assert.Equal(HttpStatusCode.BadRequest, get.StatusCode);
        var body = JsonNode.Parse(await get.Content.ReadAsStringAsync())!;
        Assert.Equal("MAX_DEPTH_EXCEEDED", Code(body));
        Assert.Equal(post["errors"]![0]!["message"]!.GetValue<string>(), body["errors"]![0]!["message"]!.GetValue<string>());
        Assert.StartsWith("A document may nest fields 12 levels deep", body["errors"]![0]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Nested_lists_multiply_and_statements_per_item_count()
    {
        // 100 communes, each with a page of 100 sites and their sources: refused; small pages of the same run.
        const string nested = "query($communes: Int, $sites: Int) { communes(departementCode: \"23\", first: $communes) { nodes { code "
            + "sites(first: $sites) { nodes { id sources { dataset } } } } } }";
        Assert.Equal("MAX_COMPLEXITY_EXCEEDED", await server.ErrorCodeAsync(nested, new { communes = 100, sites = 100 }, status: 400));
        Assert.Equal(5, (await server.DataAsync(nested, new { communes = 5, sites = 5 }))["communes"]!["nodes"]!.AsArray().Count);
        // A statement for each site of a page (a commune's geometry, a count of its sites) is priced for each.
        const string perSite = "{ sites(first: 100) { nodes { id commune { geometry sites(first: 1) { totalCount } } } } }";
        Assert.Equal("MAX_COMPLEXITY_EXCEEDED", await server.ErrorCodeAsync(perSite, status: 400));
        var small = perSite.Replace("first: 100", "first: 5", StringComparison.Ordinal);
        Assert.NotEmpty((await server.DataAsync(small))["sites"]!["nodes"]!.AsArray());
    }

    [Fact]
    public async Task A_document_may_hold_the_limit_of_fields_and_directives_and_one_more_is_refused_before_validation()
    {
        var limits = new GraphQLLimits();
        static string Typenames(int count, string directive = "") =>
            string.Concat(Enumerable.Range(0, count).Select(i => $"a{i}: __typename{directive} "));
        static string Message(JsonNode body) => body["errors"]![0]!["message"]!.GetValue<string>();

        // At the limit of fields: answered. One more: refused, naming the limit and the count.
        Assert.Equal(limits.MaxFields, (await server.DataAsync("{ " + Typenames(limits.MaxFields) + "}")).AsObject().Count);
        var (status, over) = await PostAsync("{ " + Typenames(limits.MaxFields + 1) + "}");
        Assert.Equal((400, "MAX_COMPLEXITY_EXCEEDED"), (status, Code(over)));
        Assert.StartsWith($"A document may hold {limits.MaxFields} fields; this one holds {limits.MaxFields + 1}", Message(over));
        // Counted before the schema is consulted: fields that do not exist are refused by the count, not by validation.
        var (unknownStatus, unknown) = await PostAsync("{ " + string.Concat(Enumerable.Range(0, limits.MaxFields + 1)
            .Select(i => $"nope{i} ")) + "}");
        Assert.Equal((400, "MAX_COMPLEXITY_EXCEEDED"), (unknownStatus, Code(unknown)));

        // The fields of a fragment count once however often it is spread; those of inline fragments count too.
        var fragment = "fragment F on Query { " + Typenames(limits.MaxFields - 1) + "} ";
        var spreadTwice = await server.DataAsync(fragment + "query { ...F ...F ... on Query { b: __typename } }");
        Assert.Equal(limits.MaxFields, spreadTwice.AsObject().Count);
        var (fragmentStatus, fragmentOver) = await PostAsync(fragment + "query { ...F ... on Query { b: __typename c: __typename } }");
        Assert.Equal((400, "MAX_COMPLEXITY_EXCEEDED"), (fragmentStatus, Code(fragmentOver)));

        // Directives: the limit is answered, one more is refused.
        Assert.Equal(limits.MaxDirectives,
            (await server.DataAsync("{ " + Typenames(limits.MaxDirectives, " @include(if: true)") + "}")).AsObject().Count);
        var (directiveStatus, directives) = await PostAsync("{ " + Typenames(limits.MaxDirectives + 1, " @include(if: true)") + "}");
        Assert.Equal((400, "MAX_COMPLEXITY_EXCEEDED"), (directiveStatus, Code(directives)));
        Assert.StartsWith($"A document may hold {limits.MaxDirectives} directives; this one holds {limits.MaxDirectives + 1}",
            Message(directives));
    }

    [Fact]
    public async Task A_negative_page_size_buys_no_room_for_other_fields()
    {
        // graphql-dotnet multiplies by first as given: a negative page made the total negative, and the costly aliases
        // beside it ran. The page is refused when it runs, but it may not pay for the others.
        var query = "{ a: sites(first: -1000000) { nodes { id nom adresse } } " + OpenAtAliases(10)[1..];
        var (status, body) = await PostAsync(query);
        Assert.Equal((400, "MAX_COMPLEXITY_EXCEEDED"), (status, Code(body)));
    }

    [Fact]
    public async Task Coverage_analyses_are_costly_and_the_coordinators_page_fits()
    {
        // What the coordinators' page asks for (wwwroot/app/coverage.js): one analysis and every commune of it.
        var page = await server.DataAsync("""
            { coverage(departementCode: "23", maxDistanceMeters: 10000, suggest: 3) {
                summary { communes population peopleInNeed peopleInNeedBeyond shareBeyond sites sitesPer10000InNeed
                          medianDistanceMeters coveredBefore coveredAfter }
                communes(first: 1000) { code name population peopleInNeed illectronismRate nearestDistanceMeters beyond
                                        accessibility }
                suggestions { rank communeCode communeName peopleNewlyCovered coveredAfter location } } }
            """);
        Assert.Equal(await server.ScalarAsync<long>("SELECT count(*) FROM communes WHERE departement_code = '23'"),
            page["coverage"]!["communes"]!.AsArray().Count);
        var three = string.Join(' ', Enumerable.Range(0, 3)
            .Select(i => $"a{i}: coverage(departementCode: \"2{i}\") {{ summary {{ communes }} }}"));
        // Several analyses are refused by their own rule (OneAnalysisPerRequestRule) before anything runs.
        Assert.Equal("MAX_ANALYSES_EXCEEDED", await server.ErrorCodeAsync("{ " + three + " }", status: 400));
        // One analysis leaves room for two openAt searches beside it, not three: the analysis is priced as costly.
        var withSearches = OpenAtAliases(3).TrimEnd('}') + "c: coverage(departementCode: \"23\") { summary { communes } } }";
        Assert.Equal("MAX_COMPLEXITY_EXCEEDED", await server.ErrorCodeAsync(withSearches, status: 400));
    }
}
