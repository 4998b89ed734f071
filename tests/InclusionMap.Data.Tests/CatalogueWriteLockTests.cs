using InclusionMap.Data.Import;
using InclusionMap.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace InclusionMap.Data.Tests;

/// <summary>
/// An import does not start while another run holds <see cref="CatalogueWriteLock"/>: it waits and says for whom, or fails at once.
/// </summary>
public sealed class CatalogueWriteLockTests : IAsyncLifetime
{
    private readonly TerritoriesCatalogue _catalogue = new();

    private static readonly ImportFile Places = new(Path.Combine(TestCluster.DataDirectory, "lieux",
        "20231003-bus-france-services-charente-16_lieux-mediation-numerique_v0.1.json"));

    public Task InitializeAsync() => _catalogue.InitializeAsync();

    public Task DisposeAsync() => _catalogue.DisposeAsync();

    private string HolderName => $"inclusionmap holder, pid {Environment.ProcessId}, started ";

    [Fact]
    public async Task An_import_told_not_to_wait_fails_at_once_naming_the_holder_and_writes_nothing()
    {
        await using var connection = await _catalogue.DataSource.OpenConnectionAsync();
        await using (var holder = await connection.BeginTransactionAsync())
        {
            await CatalogueWriteLock.AcquireAsync(holder, "holder", wait: true, NullLogger.Instance, default);
            var error = await Assert.ThrowsAsync<CatalogueBusyException>(() =>
                new CatalogueImporter(_catalogue.DataSource).ImportAsync([Places], new ImportOptions { WaitForWriteLock = false }));
            Assert.StartsWith($"another import or dedup is running ({HolderName}", error.Message);
            Assert.EndsWith("Z); try again once it has finished.", error.Message);
            Assert.Equal(0L, await _catalogue.ScalarAsync<long>("SELECT count(*) FROM site_sources"));
        }
        // Released with the holder's transaction: its session has its own name back, and the next import runs.
        Assert.Equal("", await _catalogue.ScalarAsync<string>(
            "SELECT application_name FROM pg_stat_activity WHERE pid = $1", connection.ProcessID));
        await new CatalogueImporter(_catalogue.DataSource).ImportAsync([Places], new ImportOptions { WaitForWriteLock = false });
        Assert.Equal(12L, await _catalogue.ScalarAsync<long>("SELECT count(*) FROM site_sources"));
    }

    [Fact]
    public async Task An_import_waits_for_the_holder_says_so_and_runs_after_it()
    {
        var log = new CollectingLogger();
        await using var connection = await _catalogue.DataSource.OpenConnectionAsync();
        var holder = await connection.BeginTransactionAsync();
        await CatalogueWriteLock.AcquireAsync(holder, "holder", wait: true, NullLogger.Instance, default);
        var import = new CatalogueImporter(_catalogue.DataSource, log).ImportAsync([Places]);

        using (var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
            while (await WaitingAsync() == 0) await Task.Delay(50, patience.Token);
        Assert.False(import.IsCompleted);
        Assert.StartsWith($"Waiting for another import/dedup to finish ({HolderName}", Assert.Single(log.Entries).Message);
        Assert.Equal(0L, await _catalogue.ScalarAsync<long>("SELECT count(*) FROM site_sources"));

        var released = DateTimeOffset.UtcNow;
        await holder.CommitAsync();
        var report = await import.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(report.StartedAt >= released, "the import's transaction began after the holder let go");
        Assert.Equal(12L, await _catalogue.ScalarAsync<long>("SELECT count(*) FROM site_sources"));
    }

    [Fact]
    public async Task Cancelling_a_wait_leaves_the_lock_to_its_holder()
    {
        await using var connection = await _catalogue.DataSource.OpenConnectionAsync();
        await using var holder = await connection.BeginTransactionAsync();
        await CatalogueWriteLock.AcquireAsync(holder, "holder", wait: true, NullLogger.Instance, default);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new CatalogueImporter(_catalogue.DataSource).ImportAsync([Places], cancellationToken: cancel.Token));
        Assert.Equal(0L, await WaitingAsync());
        Assert.Equal(1L, await _catalogue.ScalarAsync<long>(
            $"SELECT count(*) FROM pg_locks WHERE {WriteLock} AND granted"));
    }

    /// <summary>This database's write lock in <c>pg_locks</c> (which shows every database's).</summary>
    private static readonly string WriteLock = $"""
        locktype = 'advisory' AND objid::int8 = {CatalogueWriteLock.Key & 0xFFFF_FFFF}
        AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
        """;

    private Task<long> WaitingAsync() => _catalogue.ScalarAsync<long>(
        $"SELECT count(*) FROM pg_locks WHERE {WriteLock} AND NOT granted");
}
