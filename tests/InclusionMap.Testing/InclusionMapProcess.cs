using System.Diagnostics;

namespace InclusionMap.Testing;

/// <summary>The real executable as a user runs a verb: a child process against a given database, its exit code and outputs.</summary>
public static class InclusionMapProcess
{
    public static Task<(int Code, string Out, string Err)> RunAsync(string connectionString, params string[] args) =>
        RunAsync(connectionString, new Dictionary<string, string>(), args);

    /// <summary>On the embedded default: the private cluster of <paramref name="stateDirectory"/>.</summary>
    public static Task<(int Code, string Out, string Err)> RunEmbeddedAsync(string stateDirectory, params string[] args) =>
        RunAsync("", new Dictionary<string, string> { ["INCLUSIONMAP_STATE"] = stateDirectory }, args);

    /// <summary>
    /// Runs a verb with extra environment variables; <paramref name="whileRunning"/> gets the process once it has started
    /// (e.g. to signal it), and the outputs are read to the end meanwhile. An empty connection string means the embedded default.
    /// </summary>
    public static async Task<(int Code, string Out, string Err)> RunAsync(string connectionString,
        IReadOnlyDictionary<string, string> environment, string[] args, Func<Process, Task>? whileRunning = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["ConnectionStrings__Catalogue"] = connectionString, ["INCLUSIONMAP_DATA"] = TestCluster.DataDirectory },
        };
        foreach (var (name, value) in environment) start.Environment[name] = value;
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "inclusionmap.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (whileRunning is not null) await whileRunning(process);
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }
}
