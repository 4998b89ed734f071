using InclusionMap.Data.Import;
using InclusionMap.Testing;

namespace InclusionMap.Data.Tests;

/// <summary>Places need their territories: an import into a catalogue without communes stops and says how to load them.</summary>
public sealed class TerritoriesFirstTests : IAsyncLifetime
{
    private readonly EmptyCatalogue _catalogue = new();

    public Task InitializeAsync() => _catalogue.InitializeAsync();

    public Task DisposeAsync() => _catalogue.DisposeAsync();

    private static readonly string Charente =
        Path.Combine(TestCluster.DataDirectory, "lieux", "20230711-charente-16_lieux-mediation-numerique_v0.1.json");

    [Fact]
    public async Task Places_into_a_catalogue_without_communes_stop_and_name_the_files_that_load_them()
    {
        var error = await Assert.ThrowsAsync<ImportException>(() => new CatalogueImporter(_catalogue.DataSource)
            .ImportAsync([new ImportFile(Charente)], new ImportOptions { DataDirectory = TestCluster.DataDirectory }));
        Assert.Contains("the catalogue has no communes", error.Message);
        Assert.Contains("run: inclusionmap import ", error.Message);
        foreach (var file in CatalogueSeeder.SeedFiles(TestCluster.DataDirectory).Where(f => !ImportFormats.Detect(f.Path).IsPlaces()))
            Assert.Contains(file.Path, error.Message);
        Assert.Equal(0L, await _catalogue.ScalarAsync<long>("SELECT count(*) FROM site_sources"));
        Assert.Equal(0L, await _catalogue.ScalarAsync<long>("SELECT count(*) FROM import_runs"));

        // Without the open-data directory, the message points to where the files are published.
        error = await Assert.ThrowsAsync<ImportException>(() =>
            new CatalogueImporter(_catalogue.DataSource).ImportAsync([new ImportFile(Charente)]));
        Assert.Contains("data/sources.md", error.Message);
    }
}
