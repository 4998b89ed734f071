using System.Diagnostics;

namespace InclusionMap.Testing;

/// <summary>The real executable as a user runs a verb: a child process against a given database, its exit code and outputs.</summary>
public static class InclusionMapProcess
{
    public static Task<(int Code, string Out, string Err)> RunAsync(string connectionString, params string[] args) =>
        RunAsync(new Dictionary<string, string> { ["ConnectionStrings__Catalogue"] = connectionString }, args);

    /// <summary>On the embedded default: the private cluster of <paramref name="stateDirectory"/>.</summary>
    public static Task<(int Code, string Out, string Err)> RunEmbeddedAsync(string stateDirectory, params string[] args) =>
        RunAsync(new Dictionary<string, string> { ["ConnectionStrings__Catalogue"] = "", ["INCLUSIONMAP_STATE"] = stateDirectory }, args);

    private static async Task<(int Code, string Out, string Err)> RunAsync(Dictionary<string, string> environment, string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["INCLUSIONMAP_DATA"] = TestCluster.DataDirectory },
        };
        foreach (var (name, value) in environment) start.Environment[name] = value;
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "inclusionmap.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }
}
