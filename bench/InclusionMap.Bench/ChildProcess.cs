using System.Diagnostics;
using System.Globalization;

namespace InclusionMap.Bench;

/// <summary>
/// A process started in its own process group (<c>setsid</c>), so stopping it stops everything it started (npm, node,
/// dotnet hosts). Every live child is stopped when the harness exits, fails or is interrupted.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private static readonly List<ChildProcess> Live = [];
    private readonly Process _process;
    private readonly StreamWriter? _log;

    static ChildProcess()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => StopAll();
    }

    private ChildProcess(Process process, StreamWriter? log)
    {
        _process = process;
        _log = log;
    }

    public int Id => _process.Id;
    public bool HasExited => _process.HasExited;
    public string Name { get; private init; } = "";

    /// <summary>Starts <paramref name="file"/> with <paramref name="args"/>, output appended to <paramref name="logPath"/>.</summary>
    public static ChildProcess Start(string name, string file, IEnumerable<string> args, string logPath,
        IDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo("setsid") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (workingDirectory is not null) info.WorkingDirectory = workingDirectory;
        info.ArgumentList.Add(file);
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) info.Environment[k] = v;
        var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {file}");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var child = new ChildProcess(process, log) { Name = name };
        lock (Live) Live.Add(child);
        return child;
    }

    /// <summary>Peak resident set size (VmHWM) of the group leader, in bytes; null once it has exited.</summary>
    public long? PeakMemoryBytes()
    {
        try
        {
            var line = File.ReadLines($"/proc/{Id}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null
                ? null
                : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>User + system CPU time of the group leader so far (from /proc, clock ticks of 10 ms).</summary>
    public TimeSpan CpuTime()
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{Id}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // After "pid (comm) ", field 3 (state) is index 0: utime is field 14, stime 15.
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return TimeSpan.FromMilliseconds(ticks * 10);
        }
        catch (IOException)
        {
            return TimeSpan.Zero;
        }
    }

    /// <summary>SIGTERM to the whole group, then SIGKILL after a grace period.</summary>
    public async Task StopAsync(TimeSpan? grace = null)
    {
        lock (Live) Live.Remove(this);
        if (!_process.HasExited)
        {
            Signal("TERM");
            using var timeout = new CancellationTokenSource(grace ?? TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }
        // Whatever the leader did, nothing of the group may survive it.
        Signal("KILL");
        if (!_process.HasExited) await _process.WaitForExitAsync();
        _log?.Dispose();
    }

    private void Signal(string signal)
    {
        // The group id is the leader's pid (setsid); "kill -- -pgid" signals every member.
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-" + signal, "--", "-" + Id.ToString(CultureInfo.InvariantCulture)])
        { RedirectStandardError = true, UseShellExecute = false });
        kill?.WaitForExit();
    }

    internal static void StopAll()
    {
        List<ChildProcess> live;
        lock (Live) live = [.. Live];
        foreach (var child in live) child.StopAsync(TimeSpan.FromSeconds(3)).GetAwaiter().GetResult();
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    /// <summary>A free loopback TCP port (asked of the OS, then released).</summary>
    public static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
