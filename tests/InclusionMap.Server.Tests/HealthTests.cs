using System.Net;
using System.Text.Json;
using InclusionMap.Testing;

namespace InclusionMap.Server.Tests;

public sealed class HealthTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Health_reports_the_database_and_the_catalogue_counts()
    {
        var response = await server.Client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = body.RootElement;
        Assert.Equal("ok", root.GetProperty("status").GetString());
        Assert.Equal("reachable", root.GetProperty("database").GetString());
        Assert.Equal(await server.ScalarAsync<long>("SELECT count(*) FROM sites"), root.GetProperty("sites").GetInt64());
        Assert.Equal(5095, root.GetProperty("sites").GetInt64());
        Assert.Equal(34868, root.GetProperty("communes").GetInt64());
        Assert.Equal("2024-08-01", root.GetProperty("dataDate").GetString());
    }

    [Fact]
    public async Task Unknown_paths_are_404_not_errors()
    {
        var response = await server.Client.GetAsync("/no/such/page");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
