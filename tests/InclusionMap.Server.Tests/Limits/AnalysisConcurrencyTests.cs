using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using InclusionMap.Server.Limits;
using Microsoft.Extensions.DependencyInjection;

namespace InclusionMap.Server.Tests.Limits;

/// <summary>
/// At most one analysis or printable map at a time on <see cref="TightLimitsServer"/>, one waiting, the rest refused at
/// once. The test holds the running analysis inside PostgreSQL (a lock on <c>communes</c> that it releases itself), so
/// which request runs, which waits and which is refused does not depend on timing.
/// </summary>
[Collection(TightLimitsCollection.Name)]
public sealed class AnalysisConcurrencyTests(TightLimitsServer server)
{
    /// <summary>A question no other test asks (none is cached).</summary>
    private static string Analysis(string departement) =>
        $"{{ coverage(departementCode: \"{departement}\", maxDistanceMeters: 11111) {{ summary {{ communes }} }} }}";

    private static async Task<string> AssertBusyAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("5", Assert.Single(response.Headers.GetValues("Retry-After")));
        return body;
    }

    private async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        for (var i = 0; i < 300; i++)
        {
            if (await condition()) return;
            await Task.Delay(100);
        }
        Assert.Fail($"Not reached within 30 s: {what}");
    }

    [Fact]
    public async Task Past_the_running_analysis_and_the_waiting_one_the_next_analysis_or_map_is_refused_at_once()
    {
        var limiter = server.App.Services.GetRequiredService<AnalysisLimiter>().Limiter;
        using var first = server.From("127.0.0.21");
        using var second = server.From("127.0.0.22");
        using var third = server.From("127.0.0.23");
        using var fourth = server.From("127.0.0.24");
        using var searcher = server.From("127.0.0.25");

        await using var connection = await server.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var command = new Npgsql.NpgsqlCommand("LOCK TABLE communes IN ACCESS EXCLUSIVE MODE", connection, transaction))
            await command.ExecuteNonQueryAsync();

        // The first analysis starts and waits inside PostgreSQL for the lock.
        var running = first.PostAsJsonAsync("/graphql", new { query = Analysis("23") });
        await WaitUntilAsync(async () => await server.ScalarAsync<long>(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'") > 0,
            "the analysis waits for the lock");
        // The second waits for its turn in the server.
        var waiting = second.GetAsync("/coverage/19.csv?maxDistance=11111");
        await WaitUntilAsync(() => Task.FromResult(limiter.GetStatistics()!.CurrentQueuedCount == 1),
            "the second analysis waits for its turn");

        // Any further analysis or map is refused at once, in its API's format, while the first is still held.
        var map = await third.GetAsync("/maps/coverage/87.png?maxDistance=11111");
        var problem = JsonNode.Parse(await AssertBusyAsync(map))!;
        Assert.Equal(RequestLimits.BusyCode, problem["code"]!.GetValue<string>());
        var graphql = await fourth.PostAsJsonAsync("/graphql", new { query = Analysis("87") });
        var error = Assert.Single(JsonNode.Parse(await AssertBusyAsync(graphql))!["errors"]!.AsArray())!;
        Assert.Equal(RequestLimits.BusyCode, error["extensions"]!["code"]!.GetValue<string>());
        // Searches are not held by analyses.
        Assert.Equal(HttpStatusCode.OK, (await searcher.GetAsync("/odata/Sites?$top=1")).StatusCode);
        Assert.False(running.IsCompleted);
        Assert.False(waiting.IsCompleted);

        // Released, the running analysis and then the waiting one complete.
        await transaction.RollbackAsync();
        var ran = await running;
        Assert.True(ran.StatusCode == HttpStatusCode.OK, await ran.Content.ReadAsStringAsync());
        var csv = await waiting;
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.StartsWith("code_insee,", (await csv.Content.ReadAsStringAsync()).TrimStart('\uFEFF'));
        Assert.Equal(0, limiter.GetStatistics()!.CurrentQueuedCount);
    }
}
