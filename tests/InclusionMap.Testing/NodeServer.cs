using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;

namespace InclusionMap.Testing;

/// <summary>
/// A small Node server of <c>tests/NAME/server.mjs</c> (a real OIDC provider, a real SMTP server) as a child process on a
/// free loopback port. Its first line on stdout is JSON saying where it listens (<see cref="Ready"/>); later lines are
/// events (<see cref="Events"/>). Its packages come from the project's <c>package-lock.json</c>: <c>test.sh</c> runs
/// <c>npm ci</c>; a test run alone does it on first use. Stopped (and killed if need be) on dispose.
/// </summary>
public sealed class NodeServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<JsonElement> _events = Channel.CreateUnbounded<JsonElement>();
    private readonly List<string> _stderr = [];

    private NodeServer(Process process) => _process = process;

    public JsonElement Ready { get; private set; }

    /// <summary>The JSON lines the server printed after its first.</summary>
    public ChannelReader<JsonElement> Events => _events.Reader;

    public static async Task<NodeServer> StartAsync(string project, params string[] args)
    {
        var directory = Path.Combine(RepositoryRoot(), "tests", project);
        await EnsurePackagesAsync(directory);
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        start.ArgumentList.Add("server.mjs");
        foreach (var a in args) start.ArgumentList.Add(a);
        var server = new NodeServer(Process.Start(start)!);
        server._process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null) lock (server._stderr) server._stderr.Add(e.Data);
        };
        server._process.BeginErrorReadLine();
        var first = await server._process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
        if (first is null)
        {
            await server._process.WaitForExitAsync();
            throw new InvalidOperationException($"{project} did not start: {string.Join('\n', server._stderr)}");
        }
        server.Ready = JsonDocument.Parse(first).RootElement.Clone();
        _ = server.ReadEventsAsync();
        return server;
    }

    private async Task ReadEventsAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
            if (line.StartsWith('{')) _events.Writer.TryWrite(JsonDocument.Parse(line).RootElement.Clone());
        _events.Writer.TryComplete();
    }

    private static readonly SemaphoreSlim InstallGate = new(1, 1);

    private static async Task EnsurePackagesAsync(string directory)
    {
        await InstallGate.WaitAsync();
        try
        {
            if (Directory.Exists(Path.Combine(directory, "node_modules"))) return;
            var npm = new ProcessStartInfo("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"])
            {
                WorkingDirectory = directory,
                RedirectStandardError = true,
            };
            using var process = Process.Start(npm)!;
            var error = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0) throw new InvalidOperationException($"npm ci failed in {directory}: {error}");
        }
        finally
        {
            InstallGate.Release();
        }
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "InclusionMap.sln"))) return dir.FullName;
        throw new InvalidOperationException("The repository root (InclusionMap.sln) was not found.");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.StandardInput.Close();
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await _process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill();
                await _process.WaitForExitAsync();
            }
        }
        _process.Dispose();
    }
}
