using InclusionMap.Data.Import;
using InclusionMap.Testing;
using Npgsql;

namespace InclusionMap.Data.Tests;

/// <summary>What the import does with bad rows, strict and dry runs, and failures in the middle of a run.</summary>
public sealed class ImportBehaviourTests : IAsyncLifetime
{
    private readonly TerritoriesCatalogue _catalogue = new();
    private readonly string _directory = Directory.CreateTempSubdirectory("inclusionmap-import-test-").FullName;

    public Task InitializeAsync() => _catalogue.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _catalogue.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private const string Header =
        "id,pivot,nom,commune,code_postal,code_insee,adresse,latitude,longitude,telephone,horaires,date_maj,services,frais_a_charge\n";

    /// <summary>A schema v1 CSV with one good row and one problem per other row (the header is line 1).</summary>
    private string WriteBadFile() => Write("2024-05-01_test-producer_lieux.csv", Header +
        "ok-1,12345678901234,Médiathèque A,Guéret,23000,23096,1 rue A,46.17,1.87,05 55 51 00 00,Mo-Fr 09:00-12:00,2024-04-02," +
        "Aide aux démarches administratives|Loisirs et créations numériques,Gratuit\n" +
        "no-name,12345678901234,,Guéret,23000,23096,2 rue B,46.17,1.87,,,2024-04-02,,\n" +
        "bad-postcode,12345678901234,Lieu C,Guéret,2300,23096,3 rue C,46.17,1.87,,,2024-04-02,,\n" +
        "bad-latitude,12345678901234,Lieu D,Guéret,23000,23096,4 rue D,146.17,1.87,,,2024-04-02,,\n" +
        "bad-date,12345678901234,Lieu E,Guéret,23000,23096,5 rue E,46.17,1.87,,,02/30/2024,,\n" +
        "warnings,12345678901234,Lieu F,Guéret,23000,23096,6 rue F,46.17,1.87,not a phone,,2024-04-02," +
        "Aide aux démarches administratives|Danse,Parfois\n" +
        "ok-1,12345678901234,Doublon,Guéret,23000,23096,7 rue G,46.17,1.87,,,2024-04-02,,\n" +
        "\"multi\nline\",12345678901234,\"Lieu \"\"H\"\"\",Guéret,23000,23096,\"8 rue H,\nbâtiment 2\",46.17,1.87,,,2024-04-02,,\n");

    private string Write(string name, string content)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public async Task Rejected_rows_are_reported_with_row_id_field_value_and_reason_and_the_others_go_in()
    {
        var report = await new CatalogueImporter(_catalogue.DataSource).ImportAsync([new ImportFile(WriteBadFile())]);
        var file = report.Files.Single();
        Assert.Equal("schema-v1-csv", file.Format);
        Assert.Equal("test-producer_lieux", file.Dataset);
        Assert.Equal((8, 3, 5), (file.Read, file.Inserted, file.Rejected));

        var rejected = file.Issues.Where(i => i.Severity == ImportIssue.Rejected).Select(i => (i.Row, i.Id, i.Field, i.Value)).ToList();
        Assert.Equal(
        [
            (3, "no-name", "nom", null),
            (4, "bad-postcode", "code_postal", "2300"),
            (5, "bad-latitude", "latitude", "146.17"),
            (6, "bad-date", "date_maj", "02/30/2024"),
            (8, "ok-1", "id", "ok-1"),
        ], rejected);
        Assert.Contains("duplicate identifier", file.Issues.Single(i => i.Row == 8).Reason);

        // Row 7 imports; its bad values are dropped one by one and reported.
        var warnings = file.Issues.Where(i => i.Severity == ImportIssue.Warning).Select(i => (i.Row, i.Field, i.Value)).ToList();
        Assert.Equal([(7, "services", "Danse"), (7, "frais_a_charge", "Parfois"), (7, "telephone", "not a phone")], warnings);
        Assert.Equal("Aide aux démarches administratives",
            await _catalogue.ScalarAsync<string>("SELECT array_to_string(s.services, '|') FROM sites s "
                + "JOIN site_sources x ON x.site_id = s.id WHERE x.source_id = 'warnings'"));

        // Quoted fields with line breaks and doubled quotes are read as one record (whitespace runs collapse to one space).
        Assert.Equal("8 rue H, bâtiment 2", await _catalogue.ScalarAsync<string>(
            "SELECT s.adresse FROM sites s JOIN site_sources x ON x.site_id = s.id WHERE x.source_id = 'multi line'"));
        Assert.Equal("+33555510000", await _catalogue.ScalarAsync<string>(
            "SELECT s.telephone FROM sites s JOIN site_sources x ON x.site_id = s.id WHERE x.source_id = 'ok-1'"));
    }

    [Fact]
    public async Task Strict_mode_rejects_the_whole_file_and_writes_nothing()
    {
        var error = await Assert.ThrowsAsync<StrictImportException>(() =>
            new CatalogueImporter(_catalogue.DataSource)
                .ImportAsync([new ImportFile(WriteBadFile())], new ImportOptions { Strict = true }));
        Assert.Equal(5, error.Report.Rejected);
        Assert.Equal(0L, await _catalogue.ScalarAsync<long>("SELECT count(*) FROM sites"));
    }

    [Fact]
    public async Task Dry_run_reports_the_same_counts_and_writes_nothing()
    {
        var report = await new CatalogueImporter(_catalogue.DataSource)
            .ImportAsync([new ImportFile(WriteBadFile())], new ImportOptions { DryRun = true });
        Assert.Equal((3, 5, false), (report.Inserted, report.Rejected, report.Committed));
        Assert.Equal(0L, await _catalogue.ScalarAsync<long>("SELECT count(*) FROM sites"));
    }

    [Fact]
    public async Task A_changed_row_updates_its_site_and_an_unchanged_one_is_left_alone()
    {
        var path = Write("producer.csv", Header +
            "a,12345678901234,Lieu A,Guéret,23000,23096,1 rue A,46.17,1.87,,,2024-04-02,,\n" +
            "b,12345678901234,Lieu B,Guéret,23000,23096,2 rue B,46.17,1.87,,,2024-04-02,,\n");
        await new CatalogueImporter(_catalogue.DataSource).ImportAsync([new ImportFile(path)]);
        var createdB = await _catalogue.ScalarAsync<DateTime>(
            "SELECT s.updated_at FROM sites s JOIN site_sources x ON x.site_id = s.id WHERE x.source_id = 'b'");

        File.WriteAllText(path, Header +
            "a,12345678901234,Lieu A renommé,Guéret,23000,23096,1 rue A,46.18,1.88,,,2024-05-02,,\n" +
            "b,12345678901234,Lieu B,Guéret,23000,23096,2 rue B,46.17,1.87,,,2024-04-02,,\n");
        var report = await new CatalogueImporter(_catalogue.DataSource).ImportAsync([new ImportFile(path)]);
        Assert.Equal((0, 1, 1), (report.Inserted, report.Updated, report.Files[0].Unchanged));
        Assert.Equal(2L, await _catalogue.ScalarAsync<long>("SELECT count(*) FROM sites"));
        Assert.Equal("Lieu A renommé", await _catalogue.ScalarAsync<string>(
            "SELECT s.nom FROM sites s JOIN site_sources x ON x.site_id = s.id WHERE x.source_id = 'a'"));
        Assert.Equal(46.18, await _catalogue.ScalarAsync<double>(
            "SELECT s.latitude FROM sites s JOIN site_sources x ON x.site_id = s.id WHERE x.source_id = 'a'"), 6);
        Assert.Equal(createdB, await _catalogue.ScalarAsync<DateTime>(
            "SELECT s.updated_at FROM sites s JOIN site_sources x ON x.site_id = s.id WHERE x.source_id = 'b'"));
    }

    [Fact]
    public async Task The_database_failing_mid_import_leaves_the_catalogue_as_it_was()
    {
        var files = new[] { "20230711-charente-16_lieux-mediation-numerique_v0.1.json", "2024-08-01_france-services_liste-fs.csv" }
            .Select(f => new ImportFile(Path.Combine(TestCluster.DataDirectory, "lieux", f))).ToList();
        var runsBefore = await _catalogue.ScalarAsync<long>("SELECT count(*) FROM import_runs");
        var options = new ImportOptions
        {
            // After the first file is written (inside the transaction), kill the import's own server process.
            AfterFile = async (_, ct) =>
            {
                await using var admin = new NpgsqlConnection(_catalogue.ConnectionString + ";Pooling=false");
                await admin.OpenAsync(ct);
                await using var kill = new NpgsqlCommand(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() "
                    + "AND pid <> pg_backend_pid() AND state LIKE 'idle in transaction%'",
                    admin);
                Assert.Equal(1L, await kill.ExecuteScalarAsync(ct));
            },
        };
        var error = await Assert.ThrowsAnyAsync<Exception>(() => new CatalogueImporter(_catalogue.DataSource).ImportAsync(files, options));
        Assert.True(error is NpgsqlException || error.InnerException is NpgsqlException, error.ToString());
        Assert.Equal(0L, await _catalogue.ScalarAsync<long>("SELECT count(*) FROM sites"));
        Assert.Equal(0L, await _catalogue.ScalarAsync<long>("SELECT count(*) FROM site_sources"));
        Assert.Equal(runsBefore, await _catalogue.ScalarAsync<long>("SELECT count(*) FROM import_runs"));
    }

    [Fact]
    public async Task Cancelling_mid_import_leaves_the_catalogue_as_it_was()
    {
        using var cancel = new CancellationTokenSource();
        var files = new[] { "20230711-charente-16_lieux-mediation-numerique_v0.1.json", "2024-08-01_france-services_liste-fs.csv" }
            .Select(f => new ImportFile(Path.Combine(TestCluster.DataDirectory, "lieux", f))).ToList();
        var options = new ImportOptions
        {
            AfterFile = async (report, _) =>
            {
                Assert.Equal(188, report.Inserted);
                await cancel.CancelAsync();
            },
        };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new CatalogueImporter(_catalogue.DataSource).ImportAsync(files, options, cancel.Token));
        Assert.Equal(0L, await _catalogue.ScalarAsync<long>("SELECT count(*) FROM sites"));
    }

    [Fact]
    public async Task The_official_examples_of_both_schema_versions_import()
    {
        var schema = Path.Combine(TestCluster.DataDirectory, "schema");
        var report = await new CatalogueImporter(_catalogue.DataSource).ImportAsync(
            [
                new ImportFile(Path.Combine(schema, "exemple-valide-v1.0.2.csv")),
                new ImportFile(Path.Combine(schema, "exemple-valide-v0.1.1.csv")),
            ],
            // Both examples describe the same fictitious place: keep them apart to check each version's mapping.
            new ImportOptions { Deduplicate = false });
        Assert.Equal(["schema-v1-csv", "schema-v0.1-csv"], report.Files.Select(f => f.Format));
        Assert.All(report.Files, f => Assert.Equal((1, 1, 0), (f.Read, f.Inserted, f.Rejected)));
        // v1: the example says Reims (51454) but its coordinates are in Aix-en-Provence: the conflict is reported and the point wins.
        var conflict = report.Files[0].Issues.Single();
        Assert.Equal(("code_insee", "51454", ImportIssue.Warning), (conflict.Field, conflict.Value, conflict.Severity));
        Assert.Equal("13001", await _catalogue.ScalarAsync<string>("SELECT s.commune_code FROM sites s "
            + "JOIN site_sources x ON x.site_id = s.id WHERE x.dataset = 'exemple-valide-v1.0.2'"));
        Assert.Equal("51454", await _catalogue.ScalarAsync<string>("SELECT s.code_insee FROM sites s "
            + "JOIN site_sources x ON x.site_id = s.id WHERE x.dataset = 'exemple-valide-v1.0.2'"));
        Assert.Equal("Itinérant", await _catalogue.ScalarAsync<string>("SELECT array_to_string(s.itinerance, '|') FROM sites s "
            + "JOIN site_sources x ON x.site_id = s.id WHERE x.dataset = 'exemple-valide-v1.0.2'"));
        // v0.1: "Point relais CAF" is a national programme in v1, "APTIC" has no v1 value and is kept among other labels.
        Assert.Equal("France Services|Point d'accès numérique CAF",
            await _catalogue.ScalarAsync<string>("SELECT array_to_string(s.dispositif_programmes_nationaux, '|') FROM sites s "
                + "JOIN site_sources x ON x.site_id = s.id WHERE x.dataset = 'exemple-valide-v0.1.1'"));
        Assert.Equal("SudLabs|Nièvre médiation numérique|APTIC",
            await _catalogue.ScalarAsync<string>("SELECT array_to_string(s.autres_formations_labels, '|') FROM sites s "
                + "JOIN site_sources x ON x.site_id = s.id WHERE x.dataset = 'exemple-valide-v0.1.1'"));
    }
}
