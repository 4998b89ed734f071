namespace InclusionMap.Bench;

/// <summary>Writes docs/benchmarks.md: the machine, the date, and the tables of this run.</summary>
public static class BenchmarkReport
{
    public static void Write(string path, string machine, IReadOnlyList<string> sections)
    {
        var text = "# Benchmarks\n\n" +
                   "Produced by `./bench/run.sh` (see README, Development; `--quick` for a short run). " +
                   "Figures from one run on one machine; rerun to compare.\n\n" +
                   $"**Machine:** {machine}\n\n" + string.Join("\n\n", sections) + "\n";
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        Console.WriteLine($"Written to {path}");
    }
}
