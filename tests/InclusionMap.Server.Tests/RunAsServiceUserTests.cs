using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using InclusionMap.Testing;

namespace InclusionMap.Server.Tests;

/// <summary>
/// The last step of <c>run.sh</c>, <c>exec_inclusionmap</c> from <c>scripts/service-user.sh</c>, called as run.sh calls it
/// on the real built executable (run.sh before it only installs packages and builds, which a test must not redo under
/// the other tests' feet), with a fresh state directory and no seed. Started as root (as in CI), the server and its
/// cluster run as the <c>inclusionmap</c> system account, which owns the state directory; started as a normal user,
/// they run as that user. SIGINT (Ctrl-C) then stops both cleanly.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class RunAsServiceUserTests : IDisposable
{
    private readonly string _state = Path.Combine(Path.GetTempPath(), "im-service-" + Guid.NewGuid().ToString("N")[..8]);
    private Process? _server;

    [Fact]
    public async Task The_server_and_its_cluster_never_run_as_root()
    {
        var port = FreePort();
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Repository(),
            Environment =
            {
                ["INCLUSIONMAP_STATE"] = _state,
                ["INCLUSIONMAP_DATA"] = TestCluster.DataDirectory,
                ["ConnectionStrings__Catalogue"] = "",
            },
        };
        foreach (var a in new[] { "-c", "source scripts/service-user.sh && exec_inclusionmap \"$@\"", "bash",
                     AppContext.BaseDirectory, "serve", "--no-seed", "--urls", $"http://127.0.0.1:{port}" })
            start.ArgumentList.Add(a);
        _server = Process.Start(start)!;
        var output = _server.StandardOutput.ReadToEndAsync();
        var errors = _server.StandardError.ReadToEndAsync();
        await WaitHealthyAsync(port, _server);

        var expected = Environment.IsPrivilegedProcess ? await IdAsync("-u", "inclusionmap") : await IdAsync("-u");
        Assert.NotEqual("0", expected);
        // bash replaced itself with setpriv, which replaced itself with the server: one process, not root.
        Assert.Equal("dotnet", (await File.ReadAllTextAsync($"/proc/{_server.Id}/comm")).Trim());
        Assert.Equal(Enumerable.Repeat(expected, 4), Uids(_server.Id));
        var postmaster = int.Parse(File.ReadLines(Path.Combine(_state, "pgdata", "postmaster.pid")).First(), CultureInfo.InvariantCulture);
        Assert.Equal(Enumerable.Repeat(expected, 4), Uids(postmaster));
        if (Environment.IsPrivilegedProcess)
        {
            Assert.Equal("inclusionmap inclusionmap 700", await RunAsync("stat", "-c", "%U %G %a", _state));
            Assert.Equal("inclusionmap 600", await RunAsync("stat", "-c", "%U %a", Path.Combine(_state, "secrets.json")));
            Assert.Equal("/usr/sbin/nologin", (await RunAsync("getent", "passwd", "inclusionmap")).Split(':')[^1]);
        }

        Assert.Equal(0, Kill(_server.Id, SigInt));
        await _server.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromMinutes(1)).Token);
        Assert.True(_server.ExitCode == 0, await output + await errors);
        Assert.False(File.Exists(Path.Combine(_state, "pgdata", "postmaster.pid")), "the private cluster must stop with the server");
    }

    /// <summary>Real, effective, saved and file-system uids of a process.</summary>
    private static string[] Uids(int pid) =>
        File.ReadLines($"/proc/{pid}/status").Single(l => l.StartsWith("Uid:", StringComparison.Ordinal))
            .Split('\t', StringSplitOptions.RemoveEmptyEntries)[1..];

    private static Task<string> IdAsync(params string[] args) => RunAsync("id", args);

    private static async Task<string> RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output.Trim();
    }

    private static string Repository()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "scripts", "service-user.sh"))) return dir.FullName;
        throw new DirectoryNotFoundException("The repository (run.sh) was not found above the test's directory.");
    }

    private static async Task WaitHealthyAsync(int port, Process server)
    {
        using var http = new HttpClient();
        var watch = Stopwatch.StartNew();
        // Generous: initdb and the migrations share the machine with every other test class running in parallel.
        while (watch.Elapsed < TimeSpan.FromMinutes(5) && !server.HasExited)
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
        throw new TimeoutException(server.HasExited ? $"the server exited ({server.ExitCode})" : "the server did not become healthy");
    }

    private const int SigInt = 2;

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
        if (_server is { HasExited: false }) _server.Kill(entireProcessTree: true);
        _server?.Dispose();
        // A cluster whose server was killed is not its child: stop it too (SIGINT is PostgreSQL's fast shutdown).
        var pidFile = Path.Combine(_state, "pgdata", "postmaster.pid");
        if (File.Exists(pidFile) && int.TryParse(File.ReadLines(pidFile).First(), out var postmaster) && Kill(postmaster, SigInt) == 0)
            for (var i = 0; i < 100 && File.Exists(pidFile); i++) Thread.Sleep(100);
        try { Directory.Delete(_state, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
