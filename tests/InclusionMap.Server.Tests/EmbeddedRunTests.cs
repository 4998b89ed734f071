using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using InclusionMap.Testing;

namespace InclusionMap.Server.Tests;

/// <summary>
/// The product as a user runs it: the real executable on its embedded default, with its own private cluster in a
/// fresh state directory. First start seeds, a restart reuses, a second server on the same directory is refused,
/// SIGTERM stops the server and the cluster.
/// </summary>
public sealed class EmbeddedRunTests : IDisposable
{
    private readonly string _state = Path.Combine(Path.GetTempPath(), "im-embedded-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly List<Process> _processes = [];

    [Fact]
    public async Task First_start_seeds_restart_reuses_a_second_server_is_refused_and_sigterm_stops_everything()
    {
        var port = FreePort();
        var first = Start(port);
        // Generous: the seed (about 30 s alone) shares the machine with every other test class running in parallel.
        var health = await WaitHealthyAsync(port, TimeSpan.FromMinutes(8));
        Assert.Equal(5095, health.GetProperty("sites").GetInt64());
        Assert.Equal(34868, health.GetProperty("communes").GetInt64());
        Assert.True(File.Exists(Path.Combine(_state, "pgdata", "postmaster.pid")));

        // A second server on the same state directory must not touch the running cluster.
        var second = Start(FreePort());
        Assert.True(second.WaitForExit(60_000));
        Assert.Equal(3, second.ExitCode);
        Assert.Contains("is in use by another InclusionMap process", await second.StandardError.ReadToEndAsync());
        Assert.Equal(HttpStatusCode.OK, (await new HttpClient().GetAsync($"http://127.0.0.1:{port}/health")).StatusCode);

        await StopAsync(first);
        Assert.False(File.Exists(Path.Combine(_state, "pgdata", "postmaster.pid")), "the private cluster must stop with the server");

        // Restart: same cluster, nothing imported again.
        var restarted = Start(port);
        health = await WaitHealthyAsync(port, TimeSpan.FromMinutes(2));
        Assert.Equal(5095, health.GetProperty("sites").GetInt64());
        await StopAsync(restarted);
        var log = await restarted.StandardOutput.ReadToEndAsync();
        Assert.Contains("Catalogue already loaded: nothing to seed", log);
        Assert.DoesNotContain("Seeding the catalogue", log);
    }

    private Process Start(int port)
    {
        var server = Path.Combine(AppContext.BaseDirectory, "inclusionmap.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["INCLUSIONMAP_DATA"] = TestCluster.DataDirectory, ["ConnectionStrings__Catalogue"] = "" },
        };
        foreach (var a in new[] { server, "serve", "--state-dir", _state, "--urls", $"http://127.0.0.1:{port}" }) start.ArgumentList.Add(a);
        var process = Process.Start(start)!;
        _processes.Add(process);
        return process;
    }

    private static async Task<JsonElement> WaitHealthyAsync(int port, TimeSpan timeout)
    {
        using var http = new HttpClient();
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            try
            {
                var response = await http.GetAsync($"http://127.0.0.1:{port}/health");
                if (response.StatusCode == HttpStatusCode.OK) return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
                Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode); // starting: 503, never anything else
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(250);
        }
        throw new TimeoutException("the server did not become healthy");
    }

    private static async Task StopAsync(Process process)
    {
        Assert.Equal(0, Kill(process.Id, SigTerm));
        await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromMinutes(1)).Token);
        Assert.Equal(0, process.ExitCode);
    }

    private const int SigTerm = 15;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        foreach (var p in _processes.Where(p => !p.HasExited)) p.Kill(entireProcessTree: true);
        try { Directory.Delete(_state, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
