using System.Text.Json;
using InclusionMap.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace InclusionMap.Server.Tests;

/// <summary>The import verb as a user runs it: the real executable against a real database, exit codes and output.</summary>
public sealed class ImportCommandTests : IAsyncLifetime
{
    private readonly TerritoriesCatalogue _catalogue = new();
    private readonly string _directory = Directory.CreateTempSubdirectory("inclusionmap-cli-").FullName;

    public Task InitializeAsync() => _catalogue.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _catalogue.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private Task<(int Code, string Out, string Err)> RunAsync(params string[] args) =>
        InclusionMapProcess.RunAsync(_catalogue.ConnectionString, args);

    private string BadFile()
    {
        var path = Path.Combine(_directory, "lieux-test.csv");
        File.WriteAllText(path,
            "id,pivot,nom,commune,code_postal,adresse,date_maj\n" +
            "a,12345678901234,Lieu A,Guéret,23000,1 rue A,2024-04-02\n" +
            "b,12345678901234,,Guéret,23000,2 rue B,2024-04-02\n");
        return path;
    }

    [Fact]
    public async Task Import_prints_one_summary_line_on_stdout_and_writes_the_report()
    {
        var report = Path.Combine(_directory, "report.json");
        var (code, stdout, _) = await RunAsync("import", BadFile(), "--report", report);
        Assert.Equal(0, code);
        Assert.Equal("read 2, inserted 1, updated 0, merged 0, rejected 1", stdout.Trim());
        using var json = JsonDocument.Parse(File.ReadAllText(report));
        var issue = json.RootElement.GetProperty("files")[0].GetProperty("issues")[0];
        Assert.Equal((3, "b", "nom", "rejected"), (issue.GetProperty("row").GetInt32(), issue.GetProperty("id").GetString(),
            issue.GetProperty("field").GetString(), issue.GetProperty("severity").GetString()));
        Assert.Equal(1L, await _catalogue.ScalarAsync<long>("SELECT count(*) FROM sites"));
    }

    [Fact]
    public async Task Strict_and_dry_run_write_nothing_and_strict_fails()
    {
        var (code, _, stderr) = await RunAsync("import", BadFile(), "--strict");
        Assert.Equal(1, code);
        Assert.Contains("row 3 (b): nom", stderr);
        var dry = await RunAsync("import", BadFile(), "--dry-run");
        Assert.Equal(0, dry.Code);
        Assert.Contains("dry run: nothing written", dry.Out);
        Assert.Equal(0L, await _catalogue.ScalarAsync<long>("SELECT count(*) FROM sites"));
    }

    [Fact]
    public async Task A_url_is_downloaded_and_imported_under_the_name_of_its_last_path_segment()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var web = builder.Build();
        var fs = Path.Combine(TestCluster.DataDirectory, "lieux",
            "20231003-bus-france-services-charente-16_lieux-mediation-numerique_v0.1.json");
        web.MapGet("/files/{name}", (string name) => Results.File(fs, "application/json"));
        await web.StartAsync();
        var url = web.Urls.First() + "/files/20231003-bus-france-services-charente-16_lieux-mediation-numerique_v0.1.json";

        var (code, stdout, stderr) = await RunAsync("import", url);
        Assert.True(code == 0, stderr);
        Assert.Equal("read 12, inserted 12, updated 0, merged 0, rejected 0", stdout.Trim());
        Assert.Equal(12L, await _catalogue.ScalarAsync<long>(
            "SELECT count(*) FROM site_sources WHERE dataset = 'bus-france-services-charente-16_lieux-mediation-numerique_v0.1'"));
    }

    [Fact]
    public async Task Mistakes_are_explained_without_a_stack_trace()
    {
        var missing = await RunAsync("import", "/no/such/file.csv");
        Assert.Equal((1, "import: /no/such/file.csv: no such file."), (missing.Code, missing.Err.Trim()));
        var usage = await RunAsync("import");
        Assert.Equal(2, usage.Code);
        Assert.Contains("Required argument missing for command: 'import'", usage.Err);
        var unknown = await RunAsync("frobnicate");
        Assert.Equal(2, unknown.Code);
        Assert.Contains("Unrecognized command or argument 'frobnicate'", unknown.Err);
        var format = await RunAsync("import", BadFile(), "--format", "excel");
        Assert.Equal(1, format.Code);
        Assert.Contains("Unknown format 'excel'", format.Err);
        Assert.DoesNotContain("   at ", missing.Err + usage.Err + unknown.Err + format.Err);
    }
}
