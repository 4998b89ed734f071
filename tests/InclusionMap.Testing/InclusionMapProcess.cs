using System.Diagnostics;

namespace InclusionMap.Testing;

/// <summary>The real executable as a user runs a verb: a child process against a given database, its exit code and outputs.</summary>
public static class InclusionMapProcess
{
    public static async Task<(int Code, string Out, string Err)> RunAsync(string connectionString, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["ConnectionStrings__Catalogue"] = connectionString, ["INCLUSIONMAP_DATA"] = TestCluster.DataDirectory },
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "inclusionmap.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }
}
