using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using InclusionMap.Data;
using InclusionMap.Testing;
using Npgsql;

namespace InclusionMap.Server.Tests;

/// <summary>
/// The product as a user runs it: the real executable on its embedded default, with its own private cluster in a
/// fresh state directory. First start seeds, the API reads as the read-only role, a restart reuses, a second server on
/// the same directory is refused, SIGTERM stops the server and the cluster.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class EmbeddedRunTests : IDisposable
{
    private readonly string _state = Path.Combine(Path.GetTempPath(), "im-embedded-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly List<Process> _processes = [];

    [Fact]
    public async Task First_start_seeds_restart_reuses_a_second_server_is_refused_and_sigterm_stops_everything()
    {
        var port = FreePort();
        var first = Start(port);
        // Generous: the seed itself takes a while and shares the machine with every other test class running in parallel.
        var health = await WaitHealthyAsync(port, TimeSpan.FromMinutes(8));
        Assert.Equal(5095, health.GetProperty("sites").GetInt64());
        Assert.Equal(34868, health.GetProperty("communes").GetInt64());
        Assert.True(File.Exists(Path.Combine(_state, "pgdata", "postmaster.pid")));
        await AssertTheApiReadsAsTheReadOnlyRoleAsync(port);

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
        Assert.DoesNotContain("can write", log);
    }

    /// <summary>
    /// Only the service reaches its cluster (socket directory 0700, secrets 0600), and the API's connections, seen by the
    /// server itself, sign in as the read-only role; the server's other connections are the owner's, none the superuser's.
    /// </summary>
    private async Task AssertTheApiReadsAsTheReadOnlyRoleAsync(int port)
    {
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute,
            File.GetUnixFileMode(Path.Combine(_state, "run")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_state, ClusterSecrets.FileName)));
        using var http = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"http://127.0.0.1:{port}/tiles/sites/10/508/362.mvt")).StatusCode);
        var superuser = PostgresCluster.ConnectionStringFor(new PostgresClusterOptions(_state), "inclusionmap") + ";Pooling=false";
        await using var admin = new NpgsqlConnection(superuser);
        await admin.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT usename::text, application_name FROM pg_stat_activity
             WHERE datname = 'inclusionmap' AND backend_type = 'client backend' AND pid <> pg_backend_pid()
            """, admin);
        var sessions = new List<(string User, string Application)>();
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync()) sessions.Add((reader.GetString(0), reader.GetString(1)));
        var reads = sessions.Where(s => s.Application == CatalogueDatabase.ReadDataSourceName).ToList();
        Assert.NotEmpty(reads);
        Assert.All(reads, s => Assert.Equal(CatalogueRoles.Reader, s.User));
        // The web's own writes (accounts, audit) go through the editor role; everything else is the owner's.
        Assert.All(sessions.Except(reads), s => Assert.Equal(
            s.Application == CatalogueDatabase.WebWriteDataSourceName ? CatalogueRoles.Editor : CatalogueRoles.Owner, s.User));
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
                if (response.StatusCode == HttpStatusCode.OK)
                    return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
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
