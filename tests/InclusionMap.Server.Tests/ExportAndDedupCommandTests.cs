using System.Text.Json;
using InclusionMap.Testing;

namespace InclusionMap.Server.Tests;

/// <summary>The export and dedup verbs as a user runs them: the real executable against the real seeded catalogue.</summary>
public sealed class ExportAndDedupCommandTests : IAsyncLifetime
{
    private readonly SeededCatalogue _catalogue = new();
    private readonly string _directory = Directory.CreateTempSubdirectory("inclusionmap-cli-").FullName;

    public Task InitializeAsync() => _catalogue.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _catalogue.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private Task<(int Code, string Out, string Err)> RunAsync(params string[] args) =>
        InclusionMapProcess.RunAsync(_catalogue.ConnectionString, args);

    [Fact]
    public async Task Geojson_export_of_a_departement_to_a_file_holds_exactly_its_sites()
    {
        var path = Path.Combine(_directory, "charente.geojson");
        var (code, stdout, stderr) = await RunAsync("export", "--format", "geojson", "--departement", "16", "--out", path);
        Assert.Equal(0, code);
        Assert.Equal("", stdout);
        var expected = await _catalogue.ScalarAsync<long>("SELECT count(*) FROM sites WHERE departement_code = '16'");
        Assert.Contains($"exported {expected} sites to {path}", stderr);
        Assert.False(File.Exists(path + ".partial"));
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        var features = json.RootElement.GetProperty("features");
        Assert.Equal(expected, features.GetArrayLength());
        // Every point lies in Charente, longitude first (RFC 7946).
        Assert.All(features.EnumerateArray().Where(f => f.GetProperty("geometry").ValueKind == JsonValueKind.Object), f =>
        {
            var c = f.GetProperty("geometry").GetProperty("coordinates");
            Assert.InRange(c[0].GetDouble(), -0.95, 0.95);
            Assert.InRange(c[1].GetDouble(), 45.18, 46.15);
        });
    }

    [Fact]
    public async Task Csv_export_goes_to_stdout_with_the_schema_header()
    {
        var (code, stdout, _) = await RunAsync("export", "--format", "schema-v1-csv", "--departement", "23");
        Assert.Equal(0, code);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("id,pivot,nom,", lines[0]);
        Assert.True(lines.Length > 10);
    }

    [Fact]
    public async Task Export_without_a_format_or_with_an_unknown_one_is_a_usage_error()
    {
        var (code, _, stderr) = await RunAsync("export");
        Assert.Equal(2, code);
        Assert.Contains("--format", stderr);
        (code, _, stderr) = await RunAsync("export", "--format", "shapefile");
        Assert.Equal(2, code);
        Assert.Contains("shapefile", stderr);
    }

    [Fact]
    public async Task Dedup_explain_lists_merged_pairs_and_near_misses_with_their_scores_and_changes_nothing()
    {
        var before = await _catalogue.ScalarAsync<long>("SELECT count(*) FROM sites");
        var (code, stdout, _) = await RunAsync("dedup", "--explain", "--departement", "16");
        Assert.Equal(0, code);
        Assert.Contains("département 16", stdout);
        Assert.Contains("MERGED", stdout);
        Assert.Contains("near-miss", stdout);
        Assert.Matches(@"name \d\.\d\d  contained \d\.\d\d  address \w+", stdout);
        Assert.Contains("France services Rouillacais", stdout, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(before, await _catalogue.ScalarAsync<long>("SELECT count(*) FROM sites"));
    }

    [Fact]
    public async Task Dedup_rerun_at_the_stored_threshold_changes_nothing()
    {
        var (code, stdout, _) = await RunAsync("dedup");
        Assert.Equal(0, code);
        Assert.Matches(@"^threshold 0\.80: \d+ candidate pairs, \d+ same place, merged 0, split 0", stdout.Trim());
    }

    [Fact]
    public async Task Gaps_prints_the_summary_ranked_gaps_and_suggestions_and_refuses_bad_options()
    {
        var (code, stdout, _) = await RunAsync("gaps", "--departement", "23", "--suggest", "2");
        Assert.Equal(0, code);
        Assert.Contains("Coverage of département 23: threshold 10 km", stdout);
        Assert.Contains("communes 255", stdout);
        Assert.Contains("Ranked gaps", stdout);
        Assert.Matches(@"\n  1\. .+ \(23\d{3}\): \+\d+ people in need", stdout);
        Assert.Matches(@"\n  2\. ", stdout);

        var csv = Path.Combine(_directory, "gaps.csv");
        (code, _, _) = await RunAsync("gaps", "--departement", "23", "--format", "csv", "--out", csv);
        Assert.Equal(0, code);
        Assert.Equal(256, File.ReadAllLines(csv).Length);

        (code, _, var stderr) = await RunAsync("gaps", "--departement", "23", "--services", "Cours de cuisine");
        Assert.Equal(2, code);
        Assert.Contains("unknown service 'Cours de cuisine'", stderr);
        (code, _, stderr) = await RunAsync("gaps", "--departement", "23", "--max-distance", "900000");
        Assert.Equal(2, code);
        Assert.Contains("distance", stderr);
    }
}
