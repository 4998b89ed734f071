using System.Diagnostics;
using InclusionMap.Data.Import;
using InclusionMap.Testing;

namespace InclusionMap.Server.Tests;

/// <summary>
/// <c>import URL</c> as a user runs it, against a hostile local server: the real executable and a real database. Names the
/// server sends choose neither the path nor the dataset; every failure is one line on stderr, exit code 1, nothing in the
/// database and nothing left in the download folder (<c>InclusionMap__Import__DownloadDirectory</c>, the test's own).
/// </summary>
public sealed class ImportDownloadTests : IAsyncLifetime
{
    private readonly TerritoriesCatalogue _catalogue = new();
    private readonly string _directory = Directory.CreateTempSubdirectory("inclusionmap-download-test-").FullName;
    private readonly string _downloads;
    private readonly HostileHttpServer _server;
    /// <summary>The download limit of the tests that hit it.</summary>
    private const long Limit = 8192;

    /// <summary>A real places file of 12 rows (13.6 kB: over <see cref="Limit"/>).</summary>
    private static readonly byte[] Places = File.ReadAllBytes(
        Path.Combine(TestCluster.DataDirectory, "lieux", "20231003-bus-france-services-charente-16_lieux-mediation-numerique_v0.1.json"));

    public ImportDownloadTests()
    {
        _downloads = Directory.CreateDirectory(Path.Combine(_directory, "downloads")).FullName;
        _server = HostileHttpServer.Downloads(Places, AbsoluteTarget, Limit + 1);
    }

    private string AbsoluteTarget => Path.Combine(_directory, "absolute-target.json");

    public Task InitializeAsync() => _catalogue.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _catalogue.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private Task<(int Code, string Out, string Err)> ImportAsync(string url, Dictionary<string, string>? settings = null,
        string[]? options = null, Func<Process, Task>? whileRunning = null)
    {
        var environment = new Dictionary<string, string>(settings ?? []) { ["InclusionMap__Import__DownloadDirectory"] = _downloads };
        return InclusionMapProcess.RunAsync(_catalogue.ConnectionString, environment, ["import", url, .. options ?? []], whileRunning);
    }

    private Task<string> DatabaseStateAsync() => _catalogue.ScalarAsync<string>("""
        SELECT format('%s sites, %s sources (%s), %s runs', (SELECT count(*) FROM sites), (SELECT count(*) FROM site_sources),
                      (SELECT string_agg(DISTINCT dataset, ',' ORDER BY dataset) FROM site_sources), (SELECT count(*) FROM import_runs))
        """);

    [Fact]
    public async Task Names_sent_by_the_server_choose_neither_the_path_nor_the_dataset()
    {
        (string Path, string Dataset, string[] Options)[] runs =
        [
            ("/cd-plain/2024-01-02_lieux-a.json", "lieux-a", []),
            ("/cd-star/lieux-b.json", "lieux-b", []),
            ("/cd-absolute/lieux-c.json", "lieux-c", []),
            ("/moved/lieux-d.json", "lieux-d", []),
            ("/cd-star/anything.json", "producteur-e", ["--source", "producteur-e"]),
        ];
        foreach (var (path, dataset, options) in runs)
        {
            var (code, stdout, stderr) = await ImportAsync(_server.Url(path), options: options);
            Assert.True(code == 0, stderr);
            Assert.StartsWith("read 12, inserted 12,", stdout.Trim());
            Assert.Equal(12L, await _catalogue.ScalarAsync<long>("SELECT count(*) FROM site_sources WHERE dataset = $1", dataset));
            Assert.Empty(Directory.EnumerateFileSystemEntries(_downloads));
        }
        Assert.Equal(runs.Length * 12L, await _catalogue.ScalarAsync<long>("SELECT count(*) FROM site_sources"));
        // Relative to a private download directory, both "../.." names point into the test's folder; the absolute one is named.
        Assert.Equal(["downloads"], Directory.EnumerateFileSystemEntries(_directory).Select(Path.GetFileName));
        Assert.False(File.Exists(AbsoluteTarget));
        Assert.Contains("/cd-star/other-name.json", _server.Requests);
    }

    private const string TooLarge = ": larger than 8192 bytes, the limit set by InclusionMap:Import:MaxDownloadBytes.";

    public static TheoryData<string, string, string> Failures => new()
    {
        { "/truncated/lieux.json", "", ": the download broke off after 6802 bytes: " },
        { "/short-length/lieux.json", "", "lieux.json is not valid JSON" },
        { "/declared-too-large/lieux.json", $"InclusionMap__Import__MaxDownloadBytes={Limit}", TooLarge },
        { "/chunked-too-large/lieux.json", $"InclusionMap__Import__MaxDownloadBytes={Limit}", TooLarge },
        { "/trickle/lieux.json", "InclusionMap__Import__DownloadTimeout=00:00:02", ": the download did not finish within 2 s (" },
        { "/missing/lieux.json", "", ": the server answered 404 Not Found." },
        { "ftp://127.0.0.1/lieux.csv", "", "ftp://127.0.0.1/lieux.csv: only http and https URLs can be imported." },
        { "/cd-plain/lieux.json", "InclusionMap__Import__MaxDownloadBytes=lots", "'InclusionMap:Import:MaxDownloadBytes'" },
        { "/cd-plain/lieux.json", "InclusionMap__Import__DownloadTimeout=-00:00:01", "DownloadTimeout must be a positive duration" },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task A_failed_download_is_one_line_exit_1_nothing_written_nothing_left(string path, string setting, string expected)
    {
        var before = await DatabaseStateAsync();
        var settings = setting.Split('=', 2) is [var name, var value] ? new Dictionary<string, string> { [name] = value } : [];
        var url = path.StartsWith('/') ? _server.Url(path) : path;

        var (code, stdout, stderr) = await ImportAsync(url, settings);
        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("import: ", line);
        Assert.True(line.Contains(expected, StringComparison.Ordinal), line);
        Assert.Equal(before, await DatabaseStateAsync());
        Assert.Empty(Directory.EnumerateFileSystemEntries(_downloads));
    }

    [Fact]
    public async Task Sigterm_during_a_download_cancels_it_and_leaves_nothing()
    {
        var before = await DatabaseStateAsync();
        var (code, _, stderr) = await ImportAsync(_server.Url("/trickle/lieux.json"), whileRunning: async process =>
        {
            // The private directory exists once the download has begun.
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (!Directory.EnumerateFileSystemEntries(_downloads).Any()) await Task.Delay(50, wait.Token);
            Assert.StartsWith(RemoteFile.DirectoryPrefix, Path.GetFileName(Directory.EnumerateFileSystemEntries(_downloads).Single()));
            using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync();
        });
        Assert.Equal(130, code);
        Assert.Equal("import: cancelled; nothing was written.", stderr.Trim());
        Assert.Equal(before, await DatabaseStateAsync());
        Assert.Empty(Directory.EnumerateFileSystemEntries(_downloads));
    }
}
