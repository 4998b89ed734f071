using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace InclusionMap.Bench;

/// <summary>Runs <c>wrk</c> (Debian package, installed by bench/run.sh) with a Lua script that rotates over requests.</summary>
public static partial class Wrk
{
    /// <summary>GET requests rotating over <paramref name="paths"/>.</summary>
    public static string GetScript(IReadOnlyList<string> paths) => Script(paths.Select(p => $"wrk.format(\"GET\", {Lua(p)})"));

    /// <summary>JSON POST requests to <paramref name="path"/>, rotating over <paramref name="bodies"/>.</summary>
    public static string PostScript(string path, IReadOnlyList<string> bodies) =>
        Script(bodies.Select(b => $"wrk.format(\"POST\", {Lua(path)}, "
            + $"{{[\"Content-Type\"] = \"application/json\", [\"Accept\"] = \"application/json\"}}, {Lua(b)})"));

    private static string Script(IEnumerable<string> requests)
    {
        var text = new StringBuilder();
        // Each wrk thread loads the script: requests are formatted once per thread, then handed out in turn.
        text.AppendLine("local requests = {}");
        text.AppendLine("init = function(args)");
        foreach (var r in requests) text.AppendLine($"  requests[#requests + 1] = {r}");
        text.AppendLine("end");
        text.AppendLine("local i = 0");
        text.AppendLine("request = function() i = i % #requests + 1; return requests[i] end");
        // Non-2xx answers are counted by wrk itself ("Non-2xx or 3xx responses").
        return text.ToString();
    }

    private static string Lua(string s) => "[==[" + s + "]==]";

    public static async Task<WrkResult> RunAsync(string workDirectory, Uri baseUri, string script, BenchOptions options)
    {
        var path = Path.Combine(workDirectory, $"wrk-{Guid.NewGuid():N}.lua");
        await File.WriteAllTextAsync(path, script);
        var info = new ProcessStartInfo("wrk", [
            "-t" + Math.Min(2, options.WrkConnections).ToString(CultureInfo.InvariantCulture),
            "-c" + options.WrkConnections.ToString(CultureInfo.InvariantCulture),
            "-d" + options.WrkSeconds.ToString(CultureInfo.InvariantCulture) + "s",
            "--timeout", "10s", "--latency", "-s", path, baseUri.ToString()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(info)
            ?? throw new InvalidOperationException("wrk did not start: install it (bench/run.sh does).");
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        File.Delete(path);
        var rps = RequestsPerSecond().Match(output);
        if (process.ExitCode != 0 || !rps.Success) throw new InvalidOperationException($"wrk failed ({process.ExitCode}): {output}{error}");
        long errors = 0;
        if (Non2xx().Match(output) is { Success: true } n) errors += long.Parse(n.Groups[1].Value, CultureInfo.InvariantCulture);
        foreach (Match m in SocketErrors().Matches(output)) errors += long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        return new WrkResult(double.Parse(rps.Groups[1].Value, CultureInfo.InvariantCulture), Percentile(output, "50%"),
            Percentile(output, "99%"), errors,
            RequestCount().Match(output) is { Success: true } c ? long.Parse(c.Groups[1].Value, CultureInfo.InvariantCulture) : 0);
    }

    private static double Percentile(string output, string label)
    {
        var m = Regex.Match(output, @"^\s*" + Regex.Escape(label) + @"\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline);
        if (!m.Success) return double.NaN;
        var value = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        return m.Groups[2].Value switch { "us" => value / 1000, "s" => value * 1000, _ => value };
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"(\d+) requests in")]
    private static partial Regex RequestCount();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex Non2xx();

    [GeneratedRegex(@"(?:connect|read|write|timeout) (\d+)")]
    private static partial Regex SocketErrors();
}
