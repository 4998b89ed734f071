using System.Text.Json.Nodes;

namespace InclusionMap.Server.Tests.GraphQL;

/// <summary>
/// A page asking only for light fields (name, position, address, hours, commune) reads the narrow <c>Site.Summary</c> row;
/// a page asking for a list or a long text reads the whole site. Both answer the same for the fields they share.
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
          edges { cursor distanceMeters node { id nom latitude longitude adresse codePostal horaires openingHours { osm } commune { code } services presentationDetail } } } }
        """;

    private async Task<(JsonArray Edges, string Sql)> RunAsync(string query)
    {
        server.Sql.Drain();
        var edges = (await server.DataAsync(query, new { lat = 46.17, lon = 1.87 }))["sites"]!["edges"]!.AsArray();
        var page = Assert.Single(server.Sql.Drain(), c => c.Contains("FROM sites", StringComparison.Ordinal));
        return (edges, page);
    }

    [Fact]
    public async Task Light_fields_read_a_narrow_row_and_answer_like_the_whole_site()
    {
        var (light, lightSql) = await RunAsync(Light);
        var (full, fullSql) = await RunAsync(Full);

        Assert.DoesNotContain("presentation_detail", lightSql);
        Assert.DoesNotContain("services", lightSql);
        Assert.DoesNotContain("search_text", lightSql);
        Assert.Contains("<->", lightSql);
        Assert.Contains("presentation_detail", fullSql);
        Assert.Contains("services", fullSql);

        Assert.Equal(10, light.Count);
        foreach (var (a, b) in light.Zip(full))
        {
            Assert.Equal(b!["cursor"]!.ToJsonString(), a!["cursor"]!.ToJsonString());
            Assert.Equal(b["distanceMeters"]!.ToJsonString(), a["distanceMeters"]!.ToJsonString());
            foreach (var field in new[] { "id", "nom", "latitude", "longitude", "adresse", "codePostal", "horaires", "openingHours", "commune" })
                Assert.Equal(b["node"]![field]?.ToJsonString(), a["node"]![field]?.ToJsonString());
        }
    }

    [Theory]
    [InlineData("{ sites(first: 3) { nodes { id nom } } }", true)]
    [InlineData("{ sites(first: 3) { totalCount pageInfo { hasNextPage } edges { cursor node { id location } } } }", true)]
    [InlineData("{ sites(first: 3) { nodes { ... on Site { id typologie } } } }", false)]
    [InlineData("{ sites(first: 3) { nodes { id courriels } } }", false)]
    [InlineData("{ sites(first: 3) { edges { node { ...f } } } } fragment f on Site { presentationResume }", false)]
    public async Task Only_pages_without_lists_or_long_texts_are_narrow(string query, bool narrow)
    {
        server.Sql.Drain();
        await server.DataAsync(query);
        var page = Assert.Single(server.Sql.Drain(), c => c.Contains("FROM sites", StringComparison.Ordinal) && !c.Contains("count(", StringComparison.Ordinal));
        Assert.Equal(narrow, !page.Contains("presentation_resume", StringComparison.Ordinal));
    }
}
