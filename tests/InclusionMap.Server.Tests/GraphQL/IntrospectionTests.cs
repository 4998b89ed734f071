using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace InclusionMap.Server.Tests.GraphQL;

/// <summary>
/// Standard GraphQL tools load the schema: the introspection query of graphql-js (what GraphiQL's explorer, Apollo, gql
/// and code generators send) is answered, by GET and POST, priced on its own; nested introspection that would blow up
/// is still refused. The fixtures under <c>Introspection/</c> are graphql-js 16.15.0's <c>getIntrospectionQuery()</c> text,
/// byte for byte: with its defaults, and with every option (<c>descriptions</c>, <c>specifiedByUrl</c>,
/// <c>directiveIsRepeatable</c>, <c>schemaDescription</c>, <c>inputValueDeprecation</c>, <c>oneOf</c>).
/// </summary>
public sealed class IntrospectionTests(GraphQLServerFixture server) : IClassFixture<GraphQLServerFixture>
{
    private static string Fixture(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "InclusionMap.sln")))
                return File.ReadAllText(Path.Combine(dir.FullName, "tests", "InclusionMap.Server.Tests", "GraphQL", "Introspection", name));
        throw new DirectoryNotFoundException();
    }

    [Theory]
    [InlineData("graphql-js-16.15.0-default.graphql")]
    [InlineData("graphql-js-16.15.0-all-options.graphql")]
    public async Task The_graphql_js_introspection_query_is_answered_by_post_and_get(string fixture)
    {
        var query = Fixture(fixture);
        var post = await server.Client.PostAsJsonAsync("/graphql", new { query, operationName = "IntrospectionQuery" });
        var postText = await post.Content.ReadAsStringAsync();
        Assert.True(post.StatusCode == HttpStatusCode.OK, postText);
        var get = await server.GetAsync(query);
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(postText, await get.Content.ReadAsStringAsync());

        var body = JsonNode.Parse(postText)!;
        Assert.Null(body["errors"]);
        var schema = body["data"]!["__schema"]!;
        Assert.Equal("Query", schema["queryType"]!["name"]!.GetValue<string>());
        var types = schema["types"]!.AsArray().ToDictionary(t => t!["name"]!.GetValue<string>());
        Assert.Contains("sites", types["Query"]!["fields"]!.AsArray().Select(f => f!["name"]!.GetValue<string>()));
        Assert.Contains("nom", types["Site"]!["fields"]!.AsArray().Select(f => f!["name"]!.GetValue<string>()));
        // The arguments of sites, their types written out through ofType, as a client builds them.
        var sites = types["Query"]!["fields"]!.AsArray().Single(f => f!["name"]!.GetValue<string>() == "sites")!;
        var services = sites["args"]!.AsArray().Single(a => a!["name"]!.GetValue<string>() == "services")!;
        Assert.Equal(("LIST", "NON_NULL", "Service"), (services["type"]!["kind"]!.GetValue<string>(),
            services["type"]!["ofType"]!["kind"]!.GetValue<string>(), services["type"]!["ofType"]!["ofType"]!["name"]!.GetValue<string>()));
        var directives = schema["directives"]!.AsArray().Select(d => d!["name"]!.GetValue<string>()).ToList();
        Assert.Contains("cost", directives);
        Assert.Contains("specifiedBy", directives);
        if (fixture.Contains("all-options", StringComparison.Ordinal))
        {
            Assert.StartsWith("InclusionMap", schema["description"]!.GetValue<string>());
            Assert.Equal("https://www.rfc-editor.org/rfc/rfc7946", types["GeoJSON"]!["specifiedByURL"]!.GetValue<string>());
            Assert.Null(types["Site"]!["specifiedByURL"]);
            Assert.All(schema["directives"]!.AsArray(), d => Assert.False(d!["isRepeatable"]!.GetValue<bool>()));
            Assert.False(services["isDeprecated"]!.GetValue<bool>());
            Assert.False(types["GeoPointInput"]!["isOneOf"]!.GetValue<bool>());
            Assert.Equal(2, types["GeoPointInput"]!["inputFields"]!.AsArray().Count);
        }
    }

    [Fact]
    public async Task Nested_introspection_that_would_multiply_is_refused_quickly()
    {
        // Every type's fields' types' fields' types' fields: millions of values were it answered.
        const string cycles = "{ __schema { types { fields { type { ofType { fields { type { ofType { fields { type { ofType { "
            + "fields { name } } } } } } } } } } } } }";
        var watch = Stopwatch.StartNew();
        Assert.Equal("MAX_COMPLEXITY_EXCEEDED", await server.ErrorCodeAsync(cycles, status: 400));
        // The bound for a hostile request: under 2 s (it is priced in milliseconds).
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"{watch.Elapsed.TotalMilliseconds} ms");
        // Deeper than introspection needs: refused too.
        var deep = "{ __schema { queryType { " + string.Concat(Enumerable.Repeat("ofType { ", 20)) + "name" + new string('}', 20)
            + " } } }";
        Assert.Equal("MAX_DEPTH_EXCEEDED", await server.ErrorCodeAsync(deep, status: 400));
    }

    [Fact]
    public async Task Introspection_limits_are_for_introspection_only_documents()
    {
        // The full introspection beside a search is a data document: the data limits apply (it nests 15 levels).
        var mixed = Fixture("graphql-js-16.15.0-default.graphql")
            .Replace("__schema {", "sites(first: 1) { totalCount } __schema {", StringComparison.Ordinal);
        Assert.Equal("MAX_DEPTH_EXCEEDED", await server.ErrorCodeAsync(mixed, status: 400));
        // Small introspection inside data documents is fine: __typename, a type's fields.
        var data = await server.DataAsync(
            "{ __typename __type(name: \"Site\") { fields { name } } sites(first: 1) { __typename totalCount } }");
        Assert.Equal("SiteConnection", data["sites"]!["__typename"]!.GetValue<string>());
    }
}
