using InclusionMap.Data.Import;
using InclusionMap.Testing;

namespace InclusionMap.Data.Tests;

/// <summary>Merges are kept in the sites' history, in the run that made them.</summary>
public sealed class MergeHistoryTests : IAsyncLifetime
{
    private readonly TerritoriesCatalogue _catalogue = new();

    public Task InitializeAsync() => _catalogue.InitializeAsync();

    public Task DisposeAsync() => _catalogue.DisposeAsync();

    private static string Lieux(string file) => Path.Combine(TestCluster.DataDirectory, "lieux", file);

    [Fact]
    public async Task A_record_merged_into_an_existing_site_is_in_that_sites_history_as_a_merge_in_the_same_run()
    {
        await new CatalogueImporter(_catalogue.DataSource).ImportAsync([new ImportFile(Lieux("2024-08-01_france-services_liste-fs.csv"))]);
        var created = await _catalogue.ScalarAsync<long>("SELECT count(*) FROM site_history WHERE cause = 'import' AND field IS NULL");
        Assert.Equal(await _catalogue.ScalarAsync<long>("SELECT count(*) FROM sites"), created);

        var report = await new CatalogueImporter(_catalogue.DataSource)
            .ImportAsync([new ImportFile(Lieux("2021-06_cnfs_structures-conseillers-numeriques.json"))]);
        Assert.True(report.Merged > 0);
        // Every site a new record joined has its changed fields under "merge", in this run; sites created and merged away
        // within it leave nothing.
        var merged = await _catalogue.ScalarAsync<long>("""
            SELECT count(DISTINCT h.site_id) FROM site_history h
             WHERE h.run_id = $1 AND h.cause = 'merge' AND h.field IS NOT NULL AND h.actor = 'import'
               AND EXISTS (SELECT 1 FROM site_sources x
                            WHERE x.site_id = h.site_id AND x.dataset = 'cnfs_structures-conseillers-numeriques')
               AND EXISTS (SELECT 1 FROM site_sources x WHERE x.site_id = h.site_id AND x.dataset = 'france-services_liste-fs')
            """, report.RunId!.Value);
        Assert.True(merged > 0);
        Assert.Equal(0L, await _catalogue.ScalarAsync<long>(
            "SELECT count(*) FROM site_history h WHERE h.run_id = $1 AND NOT EXISTS (SELECT 1 FROM sites s WHERE s.id = h.site_id)",
            report.RunId!.Value));
        Assert.Equal(report.HistoryRows,
            await _catalogue.ScalarAsync<long>("SELECT count(*) FROM site_history WHERE run_id = $1", report.RunId!.Value));
    }
}
