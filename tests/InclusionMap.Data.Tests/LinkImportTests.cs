using InclusionMap.Data.Import;
using InclusionMap.Testing;

namespace InclusionMap.Data.Tests;

/// <summary>
/// Link fields through the real importer: an address that is not absolute http(s) is dropped with a warning, the site
/// stored has no such link, and the raw source row keeps what the producer wrote.
/// </summary>
public sealed class LinkImportTests : IAsyncLifetime
{
    private readonly TerritoriesCatalogue _catalogue = new();
    private readonly string _directory = Directory.CreateTempSubdirectory("inclusionmap-link-test-").FullName;

    public Task InitializeAsync() => _catalogue.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _catalogue.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Script_data_relative_and_malformed_links_are_dropped_with_a_warning_and_good_ones_kept()
    {
        var path = Path.Combine(_directory, "2024-05-01_hostile-producer_lieux.csv");
        await File.WriteAllTextAsync(path,
            "id,pivot,nom,commune,code_postal,code_insee,adresse,latitude,longitude,date_maj,site_web,prise_rdv,fiche_acces_libre\n" +
            "hostile,12345678901234,Lieu piégé,Guéret,23000,23096,1 rue A,46.17,1.87,2024-04-02," +
            "\"https://ok.example.fr/|javascript:alert(document.cookie)|www.autre.example.fr|/relatif\"," +
            "\"data:text/html,<script>alert(1)</script>\",\"vbscript:msgbox(1)\"\n" +
            "controle,12345678901234,Lieu B,Guéret,23000,23096,2 rue B,46.17,1.87,2024-04-02," +
            "\"https://b.example.fr\",\"https://rdv.example.fr/\u0001x\",https://\n" +
            "propre,12345678901234,Lieu C,Guéret,23000,23096,3 rue C,46.17,1.87,2024-04-02," +
            "\"https://c.example.fr\",https://rdv.example.fr/c,https://acceslibre.beta.gouv.fr/c\n");

        var report = await new CatalogueImporter(_catalogue.DataSource).ImportAsync([new ImportFile(path)]);
        var file = report.Files.Single();
        Assert.Equal((3, 3, 0), (file.Read, file.Inserted, file.Rejected));
        var warnings = file.Issues.Where(i => i.Severity == ImportIssue.Warning).Select(i => (i.Row, i.Id, i.Field, i.Value)).ToList();
        Assert.Equal(
        [
            (2, "hostile", "site_web", "javascript:alert(document.cookie)"),
            (2, "hostile", "site_web", "/relatif"),
            (2, "hostile", "fiche_acces_libre", "vbscript:msgbox(1)"),
            (2, "hostile", "prise_rdv", "data:text/html,<script>alert(1)</script>"),
            (3, "controle", "fiche_acces_libre", "https://"),
            (3, "controle", "prise_rdv", "https://rdv.example.fr/\u0001x"),
        ], warnings.OrderBy(w => w.Row).ThenBy(w => w.Field == "site_web" ? 0 : 1).ThenBy(w => w.Field).ToList());
        Assert.All(file.Issues, i => Assert.EndsWith("; dropped", i.Reason));
        Assert.Contains("absolute http:// or https://", file.Issues.First(i => i.Value == "/relatif").Reason);

        async Task<string> Stored(string id, string column) => await _catalogue.ScalarAsync<string>(
            $"SELECT coalesce(array_to_string(s.{column}, '|'), '') FROM sites s JOIN site_sources x ON x.site_id = s.id "
            + "WHERE x.source_id = $1", id);
        async Task<string?> StoredOne(string id, string column) => await _catalogue.ScalarAsync<object>(
            $"SELECT s.{column} FROM sites s JOIN site_sources x ON x.site_id = s.id WHERE x.source_id = $1", id) as string;
        async Task<string?> Source(string expression) => await _catalogue.ScalarAsync<object>(
            $"SELECT x.{expression} FROM site_sources x WHERE x.source_id = 'hostile'") as string;
        Assert.Equal("https://ok.example.fr/|https://www.autre.example.fr", await Stored("hostile", "site_web"));
        Assert.Null(await StoredOne("hostile", "prise_rdv"));
        Assert.Null(await StoredOne("hostile", "fiche_acces_libre"));
        Assert.Null(await StoredOne("controle", "prise_rdv"));
        Assert.Equal("https://rdv.example.fr/c", await StoredOne("propre", "prise_rdv"));
        Assert.Equal("https://acceslibre.beta.gouv.fr/c", await StoredOne("propre", "fiche_acces_libre"));
        // No stored link anywhere is other than http(s), and the normalised record agrees with the site.
        Assert.Equal(0L, await _catalogue.ScalarAsync<long>("""
            SELECT count(*) FROM sites s
             WHERE EXISTS (SELECT 1 FROM unnest(s.site_web) w WHERE w !~* '^https?://')
                OR s.prise_rdv !~* '^https?://' OR s.fiche_acces_libre !~* '^https?://'
            """));
        Assert.Null(await Source("record ->> 'prise_rdv'"));

        // The raw source row keeps what the producer wrote.
        Assert.Equal("data:text/html,<script>alert(1)</script>", await Source("raw ->> 'prise_rdv'"));
        Assert.Contains("javascript:alert(document.cookie)", await Source("raw ->> 'site_web'"));
    }
}
