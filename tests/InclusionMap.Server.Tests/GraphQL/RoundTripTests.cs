namespace InclusionMap.Server.Tests.GraphQL;

/// <summary>
/// A page of sites with each site's commune and provenance costs a constant number of SQL commands (the page, then
/// the communes of the page in one query and the sources of the page in one query), not one per site (N+1).
/// </summary>
public sealed class RoundTripTests(GraphQLServerFixture server) : IClassFixture<GraphQLServerFixture>
{
    private const string Page =
        "query($first: Int) { sites(first: $first) { edges { node { id commune { code name } sources { dataset sourceId } } } } }";

    [Fact]
    public async Task A_page_with_communes_and_sources_costs_three_sql_commands_whatever_its_size()
    {
        server.Sql.Drain();
        var small = (await server.DataAsync(Page, new { first = 5 }))["sites"]!["edges"]!.AsArray();
        var smallCommands = server.Sql.Drain();
        var large = (await server.DataAsync(Page, new { first = 50 }))["sites"]!["edges"]!.AsArray();
        var largeCommands = server.Sql.Drain();

        Assert.Equal(5, small.Count);
        Assert.Equal(50, large.Count);
        Assert.True(largeCommands.Count == 3, "SQL commands for a page of 50:\n" + string.Join("\n---\n", largeCommands));
        Assert.Equal(smallCommands.Count, largeCommands.Count);
        Assert.Single(largeCommands, c => c.Contains("FROM communes", StringComparison.Ordinal));
        Assert.Single(largeCommands, c => c.Contains("FROM site_sources", StringComparison.Ordinal));

        // The batched answers are the right ones: every site's commune and sources, checked against independent SQL.
        foreach (var edge in large)
        {
            var node = edge!["node"]!;
            var id = long.Parse(node["id"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
            var communeName = await server.ScalarAsync<string>(
                "SELECT coalesce((SELECT c.nom FROM sites s JOIN communes c ON c.code = s.commune_code WHERE s.id = $1), '')", id);
            Assert.Equal(communeName, node["commune"]?["name"]?.GetValue<string>() ?? "");
            var sources = await server.ScalarAsync<long>("SELECT count(*) FROM site_sources WHERE site_id = $1", id);
            Assert.Equal(sources, node["sources"]!.AsArray().Count);
            Assert.True(sources > 0);
        }
    }

    [Theory]
    [InlineData("75104", "75056")] // an arrondissement designates Paris
    [InlineData("23096", "23096")] // a current code designates itself
    public async Task The_sites_of_a_commune_cost_one_sql_command_whatever_code_designates_it(string code, string current)
    {
        server.Sql.Drain();
        var nodes = (await server.DataAsync("query($c: String) { sites(communeCode: $c, first: 100) { nodes { id } } }",
            new { c = code }))["sites"]!["nodes"]!.AsArray();
        var commands = server.Sql.Drain();
        Assert.True(commands.Count == 1, "SQL commands:\n" + string.Join("\n---\n", commands));
        Assert.Contains("FROM commune_codes", commands[0]);

        var expected = await server.ScalarAsync<long>("SELECT count(*) FROM sites WHERE commune_code = $1", current);
        Assert.True(expected > 0);
        Assert.Equal(Math.Min(expected, 100), nodes.Count);
    }
}
