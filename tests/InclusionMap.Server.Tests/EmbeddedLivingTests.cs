using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using InclusionMap.Testing;
using Xunit.Abstractions;

namespace InclusionMap.Server.Tests;

/// <summary>
/// No downtime on the embedded default: the real executable serves its private cluster under load while the same
/// executable, run beside it, adds a source, syncs it from a local producer, imports, deduplicates and backs up (each
/// joining the running cluster); not one request fails. The server keeps a daily backup; restore needs it stopped, then
/// brings the backup back.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class EmbeddedLivingTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _state = Path.Combine(Path.GetTempPath(), "im-living-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly string _backup = Path.Combine(Path.GetTempPath(), "im-living-" + Guid.NewGuid().ToString("N")[..8] + ".dump");
    private Process? _server;

    private static readonly string FranceServices =
        Path.Combine(TestCluster.DataDirectory, "lieux", "2024-08-01_france-services_liste-fs.csv");
    private static readonly string Bus = Path.Combine(TestCluster.DataDirectory, "lieux",
        "20231003-bus-france-services-charente-16_lieux-mediation-numerique_v0.1.json");

    [Fact]
    public async Task Verbs_run_beside_a_loaded_server_without_one_failed_request_and_a_backup_comes_back()
    {
        var port = FreePort();
        _server = Start(port);
        // Generous: the seed itself takes a while and shares the machine with every other test class running in parallel.
        await WaitHealthyAsync(port, TimeSpan.FromMinutes(8));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var sources = await http.GetStringAsync("/sources");
        Assert.Contains("seeded from the local open-data directory", sources);

        await using var producer = await ProducerServer.StartAsync();
        var original = await File.ReadAllBytesAsync(FranceServices);
        producer.Publish("liste-fs.csv", Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(original)
            .Replace("\"France services de Valserhône\"", "\"France services de Valserhône (nouveau nom)\"", StringComparison.Ordinal)));

        var baseline = await LoadAsync(port, TimeSpan.FromSeconds(3), null);
        using var stop = new CancellationTokenSource();
        var load = LoadAsync(port, null, stop.Token);
        var verbs = new List<(string[] Args, int Code, string Out, string Err, TimeSpan Elapsed)>();
        async Task VerbAsync(params string[] args)
        {
            var watch = Stopwatch.StartNew();
            var (code, stdout, stderr) = await InclusionMapProcess.RunEmbeddedAsync(_state, args);
            verbs.Add((args, code, stdout, stderr, watch.Elapsed));
            Assert.True(code == 0, $"{string.Join(' ', args)}: {code}\n{stdout}\n{stderr}");
        }
        await VerbAsync("source", "remove", "france-services");
        await VerbAsync("source", "add", "france-services", producer.Url("liste-fs.csv"), "--format", "france-services-csv",
            "--dataset", "france-services_liste-fs");
        await VerbAsync("source", "sync", "france-services");
        await VerbAsync("import", Bus);
        await VerbAsync("dedup");
        await VerbAsync("backup", "--out", _backup);
        await stop.CancelAsync();
        var loaded = await load;

        Assert.StartsWith("france-services: applied: read 2845, inserted 0, updated 1,", verbs[2].Out.Trim());
        Assert.Contains("read 12, inserted 0, updated 0", verbs[3].Out);
        Assert.True(File.Exists(_backup));
        Assert.Equal(0, loaded.Failures);
        Assert.True(loaded.Latencies.Count > 50, $"{loaded.Latencies.Count} requests");
        output.WriteLine($"baseline: {Describe(baseline)}; during the verbs: {Describe(loaded)}");
        foreach (var verb in verbs)
            output.WriteLine($"{string.Join(' ', verb.Args.Take(3))}: {verb.Elapsed.TotalSeconds:0.0} s: {verb.Out.Trim()}");
        var renamed = await http.PostAsJsonAsync("/graphql",
            new { query = "{ sites(search: \"Valserhône (nouveau\", first: 1) { totalCount } }" });
        Assert.Contains("\"totalCount\":1", await renamed.Content.ReadAsStringAsync());

        // The server's daily backup, in its state directory; a restore is refused while it runs.
        var backups = Path.Combine(_state, "backups");
        using (var patience = new CancellationTokenSource(TimeSpan.FromMinutes(2)))
            while (!Directory.Exists(backups) || Directory.GetFiles(backups, "catalogue-*.dump").Length == 0)
                await Task.Delay(250, patience.Token);
        var refused = await InclusionMapProcess.RunEmbeddedAsync(_state, "restore", _backup);
        Assert.Equal(1, refused.Code);
        Assert.Contains("restore: a server is running on this state directory: stop it", refused.Err);

        Assert.Equal(0, Kill(_server.Id, 15));
        await _server.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromMinutes(1)).Token);
        var restored = await InclusionMapProcess.RunEmbeddedAsync(_state, "restore", Directory.GetFiles(backups)[0]);
        Assert.True(restored.Code == 0, restored.Err);
        Assert.Matches(@"^restored .*catalogue-\d{4}-\d{2}-\d{2}\.dump: 5095 sites$", restored.Out.Trim());
    }

    private static string Describe(Load load)
    {
        var sorted = load.Latencies.Order().ToList();
        double At(double q) => sorted[(int)Math.Min(sorted.Count - 1, q * sorted.Count)];
        return $"{sorted.Count} requests, p50 {At(0.5):0} ms, p95 {At(0.95):0} ms, max {sorted[^1]:0} ms, {load.Failures} failed";
    }

    private sealed record Load(List<double> Latencies, int Failures);

    /// <summary>
    /// Four clients asking nearest sites, tiles and health in turn, for <paramref name="duration"/> or until <paramref name="stop"/>.
    /// </summary>
    private static async Task<Load> LoadAsync(int port, TimeSpan? duration, CancellationToken? stop)
    {
        var latencies = new System.Collections.Concurrent.ConcurrentBag<double>();
        var failures = 0;
        var until = duration is { } d ? DateTime.UtcNow + d : DateTime.MaxValue;
        var requests = new Func<HttpClient, int, Task<HttpResponseMessage>>[]
        {
            (c, i) => c.PostAsJsonAsync("/graphql",
                new { query = $"{{ sites(near: {{latitude: {45 + i % 5}, longitude: {1 + i % 4}}}, "
                    + "first: 10) { nodes { id nom } } }" }),
            (c, i) => c.GetAsync($"/tiles/sites/10/{508 + i % 3}/362.mvt"),
            (c, _) => c.GetAsync("/health"),
        };
        await Task.WhenAll(Enumerable.Range(0, 4).Select(worker => Task.Run(async () =>
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            for (var i = worker; DateTime.UtcNow < until && stop?.IsCancellationRequested != true; i++)
            {
                var watch = Stopwatch.StartNew();
                try
                {
                    using var response = await requests[i % requests.Length](client, i);
                    await response.Content.ReadAsByteArrayAsync();
                    if (response.StatusCode != HttpStatusCode.OK) Interlocked.Increment(ref failures);
                    else if ((i % requests.Length) == 0 && (await response.Content.ReadAsStringAsync()).Contains("\"errors\""))
                        Interlocked.Increment(ref failures);
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref failures);
                }
                latencies.Add(watch.Elapsed.TotalMilliseconds);
            }
        })));
        return new Load(latencies.ToList(), failures);
    }

    private Process Start(int port)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["INCLUSIONMAP_DATA"] = TestCluster.DataDirectory, ["ConnectionStrings__Catalogue"] = "",
                // The load comes from one address; the budgets per address have their own tests (Limits/).
                ["InclusionMap__RateLimits__Search__PermitLimit"] = "1000000",
                ["InclusionMap__RateLimits__Tiles__PermitLimit"] = "1000000",
            },
        };
        var dll = Path.Combine(AppContext.BaseDirectory, "inclusionmap.dll");
        foreach (var a in new[] { dll, "serve", "--state-dir", _state, "--urls", $"http://127.0.0.1:{port}" })
            start.ArgumentList.Add(a);
        var process = Process.Start(start)!;
        // Drain the outputs so that the server never blocks on a full pipe.
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        return process;
    }

    private static async Task WaitHealthyAsync(int port, TimeSpan timeout)
    {
        using var http = new HttpClient();
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            try
            {
                if ((await http.GetAsync($"http://127.0.0.1:{port}/health")).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(250);
        }
        throw new TimeoutException("the server did not become healthy");
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    private static string OwnerOf(string path)
    {
        using var stat =
            Process.Start(new ProcessStartInfo("stat", ["-c", "%U", path]) { RedirectStandardOutput = true, UseShellExecute = false })!;
        var owner = stat.StandardOutput.ReadToEnd().Trim();
        stat.WaitForExit();
        return owner;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        if (_server is { HasExited: false }) _server.Kill(entireProcessTree: true);
        _server?.WaitForExit(30_000);
        // A cluster left by a killed server: stop it before removing its directory.
        var pgdata = Path.Combine(_state, "pgdata");
        if (File.Exists(Path.Combine(pgdata, "postmaster.pid")))
        {
            string[] stop = [Path.Combine(Data.PostgresCluster.FindBinDirectory(), "pg_ctl"), "stop", "-D", pgdata, "-m", "immediate"];
            // As root, the cluster runs as the owner of its data directory.
            var owner = Environment.IsPrivilegedProcess ? OwnerOf(pgdata) : null;
            var command = owner is null ? stop : ["runuser", "-u", owner, "--", .. stop];
            Process.Start(new ProcessStartInfo(command[0], command[1..]) { UseShellExecute = false, WorkingDirectory = "/" })
                ?.WaitForExit(30_000);
        }
        try { Directory.Delete(_state, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        File.Delete(_backup);
    }
}
