using InclusionMap.Testing;

namespace InclusionMap.Server.Tests;

/// <summary>The <c>source</c> verbs through the real executable: what each prints, and a clear line for each mistake.</summary>
public sealed class SourceCommandTests : IAsyncLifetime
{
    private readonly TerritoriesCatalogue _catalogue = new();

    public Task InitializeAsync() => _catalogue.InitializeAsync();

    public Task DisposeAsync() => _catalogue.DisposeAsync();

    private Task<(int Code, string Out, string Err)> RunAsync(params string[] args) =>
        InclusionMapProcess.RunAsync(_catalogue.ConnectionString, args);

    [Fact]
    public async Task Sources_are_listed_added_synced_from_a_path_and_removed_and_mistakes_are_one_line()
    {
        var (code, stdout, stderr) = await RunAsync("source", "list");
        Assert.True(code == 0, stderr);
        var declared = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Data.Sources.SourceRegistry.Declared.Count, declared.Length);
        Assert.Contains(declared,
            l => l.StartsWith("france-services\tfrance-services-csv\t15 5 * * *\tnever\t-\t-\thttps://", StringComparison.Ordinal));

        (code, stdout, stderr) = await RunAsync("source", "add", "bus",
            "lieux/20231003-bus-france-services-charente-16_lieux-mediation-numerique_v0.1.json",
            "--format", "schema-v0.1-json", "--dataset", "bus-local", "--schedule", "0 6 * * 1");
        Assert.True(code == 0, stderr);
        Assert.Matches(@"^added bus \(schema-v0\.1-json, dataset bus-local\); next sync \d{4}-\d{2}-\d{2} \d{2}:00:00Z$", stdout.Trim());

        (code, stdout, stderr) = await RunAsync("source", "sync", "bus");
        Assert.True(code == 0, stderr);
        Assert.Equal("bus: applied: read 12, inserted 12, updated 0, merged 0, rejected 0", stdout.Trim());
        (code, stdout, _) = await RunAsync("source", "sync", "bus");
        Assert.Equal((0, "bus: unchanged: unchanged (same content as the file last applied)"), (code, stdout.Trim()));
        (_, stdout, _) = await RunAsync("source", "list");
        Assert.Contains(stdout.Split('\n'), l => l.StartsWith("bus\tschema-v0.1-json\t0 6 * * 1\tunchanged\t", StringComparison.Ordinal)
            && l.Contains("\tread 12, new 12, changed 0, retired 0, rejected 0\t", StringComparison.Ordinal));

        foreach (var (args, message) in new[]
        {
            (new[] { "source", "add", "Bad Name", "x.csv", "--format", "schema-v1-csv" }, "source add: 'Bad Name' is not a source name"),
            (["source", "add", "ftp", "ftp://example.org/x.csv", "--format", "schema-v1-csv"],
                "source add: ftp://example.org/x.csv: only http and https URLs"),
            (["source", "add", "cron", "x.csv", "--format", "schema-v1-csv", "--schedule", "every day"],
                "source add: 'every day' is not a cron schedule"),
            (["source", "add", "geo", "x.csv", "--format", "communes-geojson"], "source add: communes-geojson is a territory format"),
            (["source", "add", "bus", "x.csv", "--format", "schema-v1-csv"], "source add: a source named bus exists; remove it first."),
            (["source", "sync", "nope"], "source sync: no source named nope"),
            (["source", "remove", "nope"], "source remove: no source named nope."),
        })
        {
            (code, stdout, stderr) = await RunAsync(args);
            Assert.Equal(1, code);
            Assert.Equal("", stdout);
            Assert.StartsWith(message, Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        }

        (code, stdout, _) = await RunAsync("source", "remove", "bus");
        Assert.Equal((0, "removed bus"), (code, stdout.Trim()));
        (_, stdout, _) = await RunAsync("source", "list");
        Assert.DoesNotContain("bus\t", stdout);
        // Its places stay.
        Assert.Equal(12L,
            await _catalogue.ScalarAsync<long>("SELECT count(*) FROM site_sources WHERE dataset = 'bus-local' AND retired_at IS NULL"));
    }
}
