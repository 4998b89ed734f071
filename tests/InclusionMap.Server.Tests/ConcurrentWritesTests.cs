using System.Text.RegularExpressions;
using InclusionMap.Data;
using InclusionMap.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace InclusionMap.Server.Tests;

/// <summary>
/// Imports and dedup runs started together against one database, as separate processes: they take turns
/// (<see cref="CatalogueWriteLock"/>), say whom they wait for, and all succeed; with --no-wait they fail at once instead.
/// The test holds the lock first, so that every run certainly finds it taken.
/// </summary>
public sealed partial class ConcurrentWritesTests : IAsyncLifetime
{
    private readonly TerritoriesCatalogue _catalogue = new();

    private static string Lieux(string file) => Path.Combine(TestCluster.DataDirectory, "lieux", file);
    private static readonly string Charente = Lieux("20230711-charente-16_lieux-mediation-numerique_v0.1.json");
    private static readonly string Bus = Lieux("20231003-bus-france-services-charente-16_lieux-mediation-numerique_v0.1.json");

    public Task InitializeAsync() => _catalogue.InitializeAsync();

    public Task DisposeAsync() => _catalogue.DisposeAsync();

    private Task<(int Code, string Out, string Err)> RunAsync(params string[] args) =>
        InclusionMapProcess.RunAsync(_catalogue.ConnectionString, args);

    private string Holder => $"(inclusionmap holder, pid {Environment.ProcessId}, started ";

    /// <summary>This database's write lock in <c>pg_locks</c> (which shows every database's).</summary>
    private static readonly string WriteLock = $"""
        locktype = 'advisory' AND objid::int8 = {CatalogueWriteLock.Key & 0xFFFF_FFFF}
        AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
        """;

    private Task<long> WaitingAsync() => _catalogue.ScalarAsync<long>(
        $"SELECT count(*) FROM pg_locks WHERE {WriteLock} AND NOT granted");

    [Fact]
    public async Task Two_imports_and_a_dedup_started_together_take_turns_and_all_succeed()
    {
        var templateRuns = await _catalogue.ScalarAsync<long>("SELECT coalesce(max(id), 0) FROM import_runs");
        await using var connection = await _catalogue.DataSource.OpenConnectionAsync();
        var holder = await connection.BeginTransactionAsync();
        await CatalogueWriteLock.AcquireAsync(holder, "holder", wait: true, NullLogger.Instance, default);
        var charente = RunAsync("import", Charente);
        var bus = RunAsync("import", Bus);
        var dedup = RunAsync("dedup");
        using (var patience = new CancellationTokenSource(TimeSpan.FromSeconds(120)))
            while (await WaitingAsync() < 3) await Task.Delay(100, patience.Token);
        await holder.CommitAsync();

        var runs = await Task.WhenAll(charente, bus, dedup);
        Assert.All(runs, run =>
        {
            Assert.True(run.Code == 0, run.Err);
            Assert.Contains($"Waiting for another import/dedup to finish {Holder}", run.Err);
        });

        // One import's transaction began only after the other had committed.
        var intervals = await _catalogue.ScalarAsync<string>("""
            SELECT string_agg(CASE WHEN previous <= started_at THEN 'after' ELSE 'first' END, ',' ORDER BY started_at)
              FROM (SELECT started_at, lag(finished_at) OVER (ORDER BY started_at) AS previous FROM import_runs WHERE id > $1) AS runs
            """, templateRuns);
        Assert.Equal("first,after", intervals);
        // The catalogue holds exactly what each import reported inserting.
        (string Out, string Dataset)[] imports =
        [
            (runs[0].Out, "charente-16_lieux-mediation-numerique_v0.1"),
            (runs[1].Out, "bus-france-services-charente-16_lieux-mediation-numerique_v0.1"),
        ];
        foreach (var (stdout, dataset) in imports)
        {
            var inserted = long.Parse(Inserted().Match(stdout).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(inserted > 0);
            Assert.Equal(inserted, await _catalogue.ScalarAsync<long>("SELECT count(*) FROM site_sources WHERE dataset = $1", dataset));
        }
        Assert.Equal(0L, await _catalogue.ScalarAsync<long>(
            "SELECT count(*) FROM sites s WHERE NOT EXISTS (SELECT 1 FROM site_sources x WHERE x.site_id = s.id)"));
    }

    [Fact]
    public async Task With_no_wait_a_busy_catalogue_fails_at_once_and_nothing_is_written()
    {
        var runsBefore = await _catalogue.ScalarAsync<long>("SELECT count(*) FROM import_runs");
        await using var connection = await _catalogue.DataSource.OpenConnectionAsync();
        await using (var holder = await connection.BeginTransactionAsync())
        {
            await CatalogueWriteLock.AcquireAsync(holder, "holder", wait: true, NullLogger.Instance, default);
            foreach (var args in new[] { new[] { "import", Bus, "--no-wait" }, ["dedup", "--no-wait"] })
            {
                var (code, stdout, stderr) = await RunAsync(args);
                Assert.Equal(1, code);
                Assert.Equal("", stdout);
                var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
                Assert.StartsWith($"{args[0]}: another import or dedup is running {Holder}", line);
                Assert.EndsWith("Z); try again once it has finished.", line);
            }
        }
        Assert.Equal(0L, await _catalogue.ScalarAsync<long>("SELECT count(*) FROM site_sources"));
        Assert.Equal(runsBefore, await _catalogue.ScalarAsync<long>("SELECT count(*) FROM import_runs"));
    }

    [GeneratedRegex(@"inserted (\d+),")]
    private static partial Regex Inserted();
}
