using InclusionMap.Data.Import;
using InclusionMap.Testing;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace InclusionMap.Data.Tests;

/// <summary>
/// The re-sort after an import (<see cref="CatalogueDatabase.ClusterSitesSql"/>) never makes API readers wait long: it
/// gives up when a reader holds <c>sites</c>, skips a catalogue too large to rewrite quickly, and the import stands.
/// A rewrite shows as a new file node of <c>sites</c>.
/// </summary>
public sealed class SpatialResortTests : IAsyncLifetime
{
    private readonly TerritoriesCatalogue _catalogue = new();
    private readonly CollectingLogger _log = new();

    private static readonly ImportFile Places = new(Path.Combine(TestCluster.DataDirectory, "lieux",
        "20231003-bus-france-services-charente-16_lieux-mediation-numerique_v0.1.json"));

    public Task InitializeAsync() => _catalogue.InitializeAsync();

    public Task DisposeAsync() => _catalogue.DisposeAsync();

    private Task<long> FileNodeAsync() => _catalogue.ScalarAsync<long>("SELECT pg_relation_filenode('sites')::int8");

    private IEnumerable<string> Warnings => _log.Entries.Where(e => e.Level == LogLevel.Warning).Select(e => e.Message);

    [Fact]
    public async Task A_small_catalogue_is_re_sorted_after_an_import()
    {
        var before = await FileNodeAsync();
        var report = await new CatalogueImporter(_catalogue.DataSource, _log).ImportAsync([Places]);
        Assert.True(report.Committed);
        Assert.NotEqual(before, await FileNodeAsync());
        Assert.Contains(_log.Entries, e => e.Message.StartsWith("Sites stored in spatial order", StringComparison.Ordinal));
        Assert.Empty(Warnings);
    }

    [Fact]
    public async Task The_re_sort_gives_up_instead_of_waiting_for_a_reader_and_the_import_stands()
    {
        // A reader in a long transaction holds its lock on sites until it ends.
        await using var reader = await _catalogue.DataSource.OpenConnectionAsync();
        await using var readerTransaction = await reader.BeginTransactionAsync();
        await using (var read = new NpgsqlCommand("SELECT count(*) FROM sites", reader, readerTransaction)) await read.ExecuteScalarAsync();
        var before = await FileNodeAsync();

        // Were the re-sort to wait for the reader, the import would never return while the reader is open.
        var report = await new CatalogueImporter(_catalogue.DataSource, _log).ImportAsync([Places]).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(report.Committed);
        Assert.Equal(12L, await _catalogue.ScalarAsync<long>("SELECT count(*) FROM site_sources"));
        Assert.Equal(before, await FileNodeAsync());
        Assert.Equal(0L, await _catalogue.ScalarAsync<long>("SELECT count(*) FROM pg_indexes WHERE indexname = 'ix_sites_geohash_order'"));
        var gaveUp = Assert.Single(_log.Entries, e => e.Message.StartsWith("Sites not stored again", StringComparison.Ordinal));
        Assert.Contains($"readers held the table for over {CatalogueDatabase.ClusterSitesLockTimeout}", gaveUp.Message);
        // From the last step before the commit to giving up: commit, count, index build and the 300 ms lock wait. The bound
        // is generous for a loaded machine; a re-sort waiting for the reader would never get here.
        var dedup = Assert.Single(_log.Entries, e => e.Message.StartsWith("Deduplication", StringComparison.Ordinal));
        Assert.InRange((gaveUp.At - dedup.At).TotalSeconds, 0.3, 10);
        await readerTransaction.CommitAsync();
    }

    [Fact]
    public void The_re_sort_to_run_at_a_quiet_time_is_documented_as_the_import_runs_it()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "InclusionMap.sln"))) root = root.Parent!;
        var scaling = File.ReadAllText(Path.Combine(root.FullName, "docs", "scaling.md")).ReplaceLineEndings("\n");
        Assert.Contains(CatalogueDatabase.ClusterSitesSql, scaling);
    }

    [Fact]
    public async Task A_catalogue_over_the_limit_is_not_re_sorted_and_the_log_says_how_to_do_it()
    {
        var before = await FileNodeAsync();
        var options = new ImportOptions { ClusterSitesMaxSites = 5 };
        var report = await new CatalogueImporter(_catalogue.DataSource, _log).ImportAsync([Places], options);
        Assert.True(report.Committed);
        Assert.Equal(before, await FileNodeAsync());
        Assert.Equal("Sites not stored again in spatial order: 12 sites is over 5, and readers would wait for the rewrite; "
            + "run it at a quiet time (docs/scaling.md)", Assert.Single(Warnings));
    }
}
