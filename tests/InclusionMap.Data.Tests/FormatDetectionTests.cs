using InclusionMap.Data.Import;
using InclusionMap.Testing;

namespace InclusionMap.Data.Tests;

public sealed class FormatDetectionTests
{
    [Theory]
    [InlineData("lieux/2021-06_cnfs_structures-conseillers-numeriques.json", ImportFormat.ConseillersNumeriquesJson)]
    [InlineData("lieux/20230516-hub-du-sud-paca_lieux-mediation-numerique_v0.1.json", ImportFormat.SchemaV01Json)]
    [InlineData("lieux/20230711-charente-16_lieux-mediation-numerique_v0.1.json", ImportFormat.SchemaV01Json)]
    [InlineData("lieux/20231003-bus-france-services-charente-16_lieux-mediation-numerique_v0.1.json", ImportFormat.SchemaV01Json)]
    [InlineData("lieux/20240320-nouvelle-caledonie_lieux-mediation-numerique_v0.1.json", ImportFormat.SchemaV01Json)]
    [InlineData("lieux/2024-08-01_france-services_liste-fs.csv", ImportFormat.FranceServicesCsv)]
    [InlineData("schema/exemple-valide-v1.0.2.csv", ImportFormat.SchemaV1Csv)]
    [InlineData("schema/exemple-valide-v0.1.1.csv", ImportFormat.SchemaV01Csv)]
    [InlineData("communes/decoupage-administratif-6.0.0_regions.json", ImportFormat.RegionsJson)]
    [InlineData("communes/decoupage-administratif-6.0.0_departements.json", ImportFormat.DepartementsJson)]
    [InlineData("communes/decoupage-administratif-6.0.0_communes.json", ImportFormat.CommunesJson)]
    [InlineData("communes/communes-cog2026-population.csv", ImportFormat.CommunesPopulationCsv)]
    [InlineData("communes/rp2017-indicateurs-fragilite-par-commune_dataforgood.csv", ImportFormat.CensusIndicatorsCsv)]
    [InlineData("geo/communes-france-cog2026-from-adminexpress2018-simplified.geojson", ImportFormat.CommunesGeoJson)]
    [InlineData("geo/communes-23-cog2026-from-adminexpress2018.geojson", ImportFormat.CommunesGeoJson)]
    [InlineData("geo/departements-simplified_anct-carto.geojson", ImportFormat.DepartementsGeoJson)]
    public void Each_real_file_is_recognised_from_its_content(string file, ImportFormat expected) =>
        Assert.Equal(expected, ImportFormats.Detect(Path.Combine(TestCluster.DataDirectory, file)));

    [Fact]
    public void A_renamed_file_is_still_recognised_because_detection_reads_the_content()
    {
        var copy = Path.Combine(Path.GetTempPath(), Guid.NewGuid() + ".data");
        File.Copy(Path.Combine(TestCluster.DataDirectory, "lieux", "2024-08-01_france-services_liste-fs.csv"), copy);
        try { Assert.Equal(ImportFormat.FranceServicesCsv, ImportFormats.Detect(copy)); }
        finally { File.Delete(copy); }
    }

    [Fact]
    public void An_unknown_file_gets_a_clear_error_naming_the_format_option()
    {
        var path = Path.Combine(Path.GetTempPath(), Guid.NewGuid() + ".csv");
        File.WriteAllText(path, "a,b,c\n1,2,3\n");
        try
        {
            var error = Assert.Throws<ImportException>(() => ImportFormats.Detect(path));
            Assert.Contains("--format", error.Message);
        }
        finally { File.Delete(path); }
    }

    [Theory]
    [InlineData("2024-08-01_france-services_liste-fs.csv", "france-services_liste-fs")]
    [InlineData("20230711-charente-16_lieux-mediation-numerique_v0.1.json", "charente-16_lieux-mediation-numerique_v0.1")]
    [InlineData("2021-06_cnfs_structures-conseillers-numeriques.json", "cnfs_structures-conseillers-numeriques")]
    [InlineData("/some/dir/lieux.csv", "lieux")]
    public void Dataset_names_drop_the_release_date_so_newer_releases_update_the_same_records(string file, string dataset) =>
        Assert.Equal(dataset, ImportFormats.DatasetName(file));
}
