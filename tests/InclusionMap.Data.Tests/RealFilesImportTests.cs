using InclusionMap.Data.Import;
using InclusionMap.Testing;
using Microsoft.EntityFrameworkCore;

namespace InclusionMap.Data.Tests;

/// <summary>
/// Every real places file imports into a catalogue holding the territories; counts and mapped values are checked.
/// Each test gets its own fresh database (xunit makes one instance per test).
/// </summary>
public sealed class RealFilesImportTests : IAsyncLifetime
{
    private readonly TerritoriesCatalogue _catalogue = new();

    public Task InitializeAsync() => _catalogue.InitializeAsync();

    public Task DisposeAsync() => _catalogue.DisposeAsync();

    private static string Lieux(string name) => Path.Combine(TestCluster.DataDirectory, "lieux", name);

    private async Task<FileReport> ImportAsync(string file) =>
        (await new CatalogueImporter(_catalogue.DataSource).ImportAsync([new ImportFile(Lieux(file))])).Files.Single();

    [Theory]
    [InlineData("2021-06_cnfs_structures-conseillers-numeriques.json", "conseillers-numeriques-json", 1450, 1443, 7)]
    [InlineData("20230516-hub-du-sud-paca_lieux-mediation-numerique_v0.1.json", "schema-v0.1-json", 792, 792, 0)]
    [InlineData("20230711-charente-16_lieux-mediation-numerique_v0.1.json", "schema-v0.1-json", 188, 188, 0)]
    [InlineData("20231003-bus-france-services-charente-16_lieux-mediation-numerique_v0.1.json", "schema-v0.1-json", 12, 12, 0)]
    [InlineData("20240320-nouvelle-caledonie_lieux-mediation-numerique_v0.1.json", "schema-v0.1-json", 90, 90, 0)]
    [InlineData("2024-08-01_france-services_liste-fs.csv", "france-services-csv", 2845, 2845, 0)]
    public async Task Each_real_file_imports_with_its_counts_and_a_second_import_changes_nothing(
        string file, string format, int read, int inserted, int rejected)
    {
        var dataset = ImportFormats.DatasetName(file);
        var first = await ImportAsync(file);
        Assert.Equal(format, first.Format);
        Assert.Equal((read, inserted, 0, rejected), (first.Read, first.Inserted, first.Updated, first.Rejected));
        Assert.Equal(rejected, first.Issues.Where(i => i.Severity == ImportIssue.Rejected).Select(i => i.Row).Distinct().Count());
        Assert.Equal(inserted, await _catalogue.ScalarAsync<long>("SELECT count(*) FROM site_sources WHERE dataset = $1", dataset));

        var second = await ImportAsync(file);
        Assert.Equal((read, 0, 0, inserted, rejected), (second.Read, second.Inserted, second.Updated, second.Unchanged, second.Rejected));
        Assert.Equal(inserted, await _catalogue.ScalarAsync<long>("SELECT count(*) FROM site_sources WHERE dataset = $1", dataset));
    }

    [Fact]
    public async Task France_services_rows_get_normalised_phone_opening_hours_and_their_commune()
    {
        await ImportAsync("2024-08-01_france-services_liste-fs.csv");
        await using var db = _catalogue.CreateContext();
        var valserhone = await db.Sites.Include(s => s.Sources)
            .SingleAsync(s => s.Sources.Any(x => x.Dataset == "france-services_liste-fs" && x.SourceId == "1"));
        Assert.Equal("France services de Valserhône", valserhone.Nom);
        Assert.Equal("+33450568749", valserhone.Telephone);
        Assert.Equal("Mo 13:30-17:00; Tu-Th 09:00-12:00,13:30-17:00; Fr 09:00-12:00,13:30-16:00", valserhone.Horaires);
        Assert.Equal("01033", valserhone.CommuneCode);
        Assert.Equal("01", valserhone.DepartementCode);
        Assert.Equal(["France Services"], valserhone.DispositifProgrammesNationaux);
        Assert.Equal(46.1060711578546, valserhone.Latitude!.Value, 9);

        // An arrondissement code designates its commune; every metropolitan and DROM row finds its commune.
        var paris = await db.Sites.Where(s => s.CodeInsee!.StartsWith("751")).Select(s => s.CommuneCode).Distinct().ToListAsync();
        Assert.Equal(["75056"], paris);
        var unresolved = await db.Sites.Where(s => s.CommuneCode == null).Select(s => s.CodeInsee).ToListAsync();
        Assert.NotEmpty(unresolved);
        Assert.All(unresolved, code => Assert.Matches("^97[5-8]", code)); // overseas collectivities (Saint-Martin...): no polygon
    }

    [Fact]
    public async Task Schema_v01_rows_are_mapped_to_v1_vocabularies()
    {
        await ImportAsync("20230711-charente-16_lieux-mediation-numerique_v0.1.json");
        await using var db = _catalogue.CreateContext();
        var site = await db.Sites.SingleAsync(s => s.Sources.Any(x =>
            x.SourceId == "mediation-numerique-conseiller-numerique-63d29db4e6d6a806f256459a-mediation-numerique"));
        // "Prendre en main un smartphone…;Prendre en main un ordinateur;Utiliser le numérique au quotidien;
        // Approfondir ma culture numérique"
        Assert.Equal(["Maîtrise des outils numériques du quotidien", "Compréhension du monde numérique"], site.Services);
        Assert.Equal(["Gratuit"], site.FraisACharge);
        Assert.Equal(["Accompagnement individuel"], site.ModalitesAccompagnement);
        Assert.Equal(["Conseillers numériques", "France Services"], site.DispositifProgrammesNationaux);
        Assert.Equal(["RFS"], site.Typologie);
        Assert.Equal("16089", site.CommuneCode); // Châteaubernard, found by point in polygon (the row has no code_insee)
    }

    [Fact]
    public async Task Conseillers_numeriques_rows_keep_street_only_and_pad_postcodes_and_rejects_are_reported()
    {
        var report = await ImportAsync("2021-06_cnfs_structures-conseillers-numeriques.json");
        await using var db = _catalogue.CreateContext();
        var oyonnax = await db.Sites
            .SingleAsync(s => s.Sources.Any(x => x.Dataset == "cnfs_structures-conseillers-numeriques" && x.SourceId == "1"));
        Assert.Equal("57 RUE RENE NICOD", oyonnax.Adresse);
        Assert.Equal("01100", oyonnax.CodePostal);
        Assert.Equal("20004293500011", oyonnax.Pivot);
        // The 7 rejected rows are the ones with no address at all (raison_sociale "0", adresse_absente "oui").
        var rejected = report.Issues.Where(i => i.Severity == ImportIssue.Rejected).GroupBy(i => i.Id!).ToList();
        Assert.Equal(["7", "475", "539", "569", "570", "1189", "1324"], rejected.Select(g => g.Key));
        Assert.All(rejected, g => Assert.Contains(g, i => (i.Field, i.Reason) == ("adresse", "required field is missing")));
    }

    [Fact]
    public async Task Long_v01_summaries_move_whole_to_the_detail_field()
    {
        var report = await ImportAsync("20240320-nouvelle-caledonie_lieux-mediation-numerique_v0.1.json");
        var moved = report.Issues.Where(i => i.Field == "presentation_resume").ToList();
        Assert.All(moved, i => Assert.Equal(ImportIssue.Warning, i.Severity));
        Assert.Equal(12, moved.Count);
        await using var db = _catalogue.CreateContext();
        var site = await db.Sites
            .SingleAsync(s => s.Sources.Any(x => x.Dataset == "nouvelle-caledonie_lieux-mediation-numerique_v0.1" && x.SourceId == "38"));
        Assert.Null(site.PresentationResume);
        Assert.Equal(2412, site.PresentationDetail!.Length);
        Assert.Equal("988", site.DepartementCode); // overseas: no polygon, département from the postcode
        Assert.Null(site.CommuneCode);
        // Nine Mont-Dore rows (98817) carry 63236, Le Mont-Dore in the Puy-de-Dôme (a geocoder homonym): each conflict
        // is reported and the code is not used to place the site.
        Assert.Equal("63236", site.CodeInsee);
        var conflicts = report.Issues.Where(i => i.Field == "code_insee").ToList();
        Assert.Equal(["4", "35", "38", "58", "64", "66", "67", "68", "77"], conflicts.Select(i => i.Id!).OrderBy(int.Parse));
        Assert.All(conflicts, i => Assert.Equal("63236", i.Value));
        Assert.StartsWith("+687", site.Telephone);
    }
}
