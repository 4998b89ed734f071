using System.Text.Json.Nodes;
using InclusionMap.Server.GraphQL;

namespace InclusionMap.Server.Tests.GraphQL;

/// <summary>
/// A page of sites reads only the columns its selection asks for (the registry's fields, <c>SitesField.FieldsAskedFor</c>),
/// through fragments too, and answers exactly like a page reading whole sites.
/// </summary>
public sealed class SummaryProjectionTests(GraphQLServerFixture server) : IClassFixture<GraphQLServerFixture>
{
    private const string Light = """
        query($lat: Float!, $lon: Float!) { sites(near: {latitude: $lat, longitude: $lon}, first: 10) {
          edges { cursor distanceMeters node { ...light } } } }
        fragment light on Site { id nom latitude longitude adresse codePostal horaires openingHours { osm } commune { code } }
        """;

    private const string Full = """
        query($lat: Float!, $lon: Float!) { sites(near: {latitude: $lat, longitude: $lon}, first: 10) {
          edges { cursor distanceMeters node { id nom latitude longitude adresse codePostal horaires openingHours { osm } commune { code }
            services presentationDetail } } } }
        """;

    private async Task<(JsonArray Edges, string Sql)> RunAsync(string query, object variables)
    {
        server.Sql.Drain();
        var edges = (await server.DataAsync(query, variables))["sites"]!["edges"]!.AsArray();
        var page = Assert.Single(server.Sql.Drain(), c => c.Contains("FROM sites", StringComparison.Ordinal));
        return (edges, page);
    }

    /// <summary>The columns of the page's SELECT list, in order (<c>s.nom</c> → nom), and the distance when there is one.</summary>
    private static string[] Selected(string sql) =>
        sql["SELECT ".Length..sql.IndexOf(" FROM sites", StringComparison.Ordinal)].Split(", ")
            .Select(c => c.EndsWith(" AS distance", StringComparison.Ordinal) ? "distance" : c["s.".Length..]).ToArray();

    [Fact]
    public async Task Light_fields_read_only_their_columns_and_answer_like_the_whole_site()
    {
        var (light, lightSql) = await RunAsync(Light, new { lat = 46.17, lon = 1.87 });
        var (full, fullSql) = await RunAsync(Full, new { lat = 46.17, lon = 1.87 });

        // openingHours needs the département (time zone, holidays); commune its code.
        Assert.Equal(["adresse", "code_postal", "commune_code", "departement_code", "horaires", "id", "latitude", "longitude", "nom",
            "distance"], Selected(lightSql));
        Assert.Matches(@"ORDER BY s\.location <-> \$1\s+LIMIT 11$", lightSql);
        Assert.Contains("presentation_detail", fullSql);
        Assert.Contains("services", fullSql);

        Assert.Equal(10, light.Count);
        foreach (var (a, b) in light.Zip(full))
        {
            Assert.Equal(b!["cursor"]!.ToJsonString(), a!["cursor"]!.ToJsonString());
            Assert.Equal(b["distanceMeters"]!.ToJsonString(), a["distanceMeters"]!.ToJsonString());
            string[] lightFields = ["id", "nom", "latitude", "longitude", "adresse", "codePostal", "horaires", "openingHours", "commune"];
            foreach (var field in lightFields)
                Assert.Equal(b["node"]![field]?.ToJsonString(), a["node"]![field]?.ToJsonString());
        }
    }

    [Theory]
    [InlineData("{ sites(first: 3) { nodes { id nom } } }", "id,nom")]
    [InlineData("{ sites(first: 3) { totalCount pageInfo { hasNextPage } edges { cursor node { location } } } }", "id,location")]
    [InlineData("{ sites(first: 3) { nodes { __typename ... on Site { typologie } } } }", "id,typologie")]
    [InlineData("{ sites(first: 3) { nodes { courriels sources { dataset } } } }", "courriels,id")]
    [InlineData("{ sites(first: 3) { edges { node { ...f } } } } fragment f on Site { presentationResume commune { name } }",
        "commune_code,id,presentation_resume")]
    [InlineData("{ sites(near: {latitude: 48.85, longitude: 2.35}, radiusMeters: 3000, first: 3) { nodes { nom } } }", "id,nom,distance")]
    public async Task A_page_reads_the_columns_its_fields_need(string query, string columns)
    {
        server.Sql.Drain();
        await server.DataAsync(query);
        var page = Assert.Single(server.Sql.Drain(),
            c => c.Contains("FROM sites", StringComparison.Ordinal) && !c.Contains("count(", StringComparison.Ordinal)
            && !c.Contains("site_sources", StringComparison.Ordinal));
        Assert.Equal(columns, string.Join(',', Selected(page)));
    }

    [Fact]
    public async Task Every_site_field_reads_its_own_column_or_says_which_it_reads()
    {
        // A field the selection walker did not know would make the page read whole sites: a slow path nobody chose.
        var type = await server.DataAsync("""{ __type(name: "Site") { fields { name } } }""");
        var fields = type["__type"]!["fields"]!.AsArray().Select(f => f!["name"]!.GetValue<string>()).ToList();
        Assert.True(fields.Count > 30);
        Assert.All(fields, f => Assert.True(
            InclusionMap.Core.Places.SiteFields.ByGraphQLName.ContainsKey(f) || SiteType.ComputedFields.ContainsKey(f), f));
        Assert.All(SiteType.ComputedFields.Values.SelectMany(c => c),
            c => Assert.Contains(c, InclusionMap.Core.Places.SiteFields.ByName.Keys));
    }

    [Theory]
    [InlineData(46.17, 1.87, null)]
    [InlineData(48.8566, 2.3522, 4000.0)]
    [InlineData(43.30, 5.37, 50000.0)]
    public async Task A_filter_naming_every_service_keeps_the_order_distances_and_cursors_of_the_unfiltered_page(
        double lat, double lon, double? radius)
    {
        // A services filter naming every service keeps every site offering any service: those sites must come back in
        // the same order, with the same distances and cursors.
        const string Compiled = """
            query($lat: Float!, $lon: Float!, $r: Float) { sites(near: {latitude: $lat, longitude: $lon}, radiusMeters: $r, first: 25) {
              edges { cursor distanceMeters node { id nom } } } }
            """;
        var everyService = string.Join(", ", new VocabularyEnumType<InclusionMap.Core.Schema.Service>().Values.Select(v => v.Name));
        var general = Compiled.Replace("first: 25)", $"first: 25, services: [{everyService}])", StringComparison.Ordinal);
        var (fast, fastSql) = await RunAsync(Compiled, new { lat, lon, r = radius });
        var (slow, slowSql) = await RunAsync(general, new { lat, lon, r = radius });

        // One builder: the same statement, with the filter's condition; the limit (25 + the spare candidate) a literal.
        Assert.Matches(@"ORDER BY s\.location <-> \$1 LIMIT 26$", fastSql);
        Assert.Matches(@"ORDER BY s\.location <-> \$1 LIMIT 26$", slowSql);
        Assert.DoesNotContain("services", fastSql);
        Assert.Contains("s.services && $", slowSql);
        Assert.Equal(radius is null, !fastSql.Contains("ST_DWithin", StringComparison.Ordinal));
        Assert.NotEmpty(fast);
        var withAnyService = slow.Select(e => e!["node"]!["id"]!.GetValue<string>()).ToHashSet();
        // Sites without any service are left out by the filter: compare on the sites both pages can hold.
        var comparable = fast.Where(e => withAnyService.Contains(e!["node"]!["id"]!.GetValue<string>()))
            .Select(e => e!.ToJsonString()).ToList();
        Assert.Equal(comparable, slow.Take(comparable.Count).Select(e => e!.ToJsonString()).ToList());
    }

    [Fact]
    public async Task The_second_page_follows_the_compiled_first_page()
    {
        const string Page = """
            query($after: String) { sites(near: {latitude: 45.76, longitude: 4.84}, first: 7, after: $after) {
              pageInfo { endCursor } edges { distanceMeters node { id } } } }
            """;
        const string Both = "{ sites(near: {latitude: 45.76, longitude: 4.84}, first: 14) { edges { distanceMeters node { id } } } }";
        var first = (await server.DataAsync(Page, new { after = (string?)null }))["sites"]!;
        var second = (await server.DataAsync(Page, new { after = first["pageInfo"]!["endCursor"]!.GetValue<string>() }))["sites"]!;
        var both = (await server.DataAsync(Both))["sites"]!["edges"]!.AsArray();
        Assert.Equal(both.Select(e => e!.ToJsonString()),
            first["edges"]!.AsArray().Concat(second["edges"]!.AsArray()).Select(e => e!.ToJsonString()));
    }
}
