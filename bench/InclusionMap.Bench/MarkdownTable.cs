namespace InclusionMap.Bench;

public static class MarkdownTable
{
    public static string Render(IReadOnlyList<string> header, IEnumerable<string[]> rows)
    {
        var lines = new List<string> { "| " + string.Join(" | ", header) + " |", "|" + string.Concat(header.Select(_ => "---|")) };
        lines.AddRange(rows.Select(r => "| " + string.Join(" | ", r.Concat(Enumerable.Repeat("", Math.Max(0, header.Count - r.Length)))) + " |"));
        return string.Join('\n', lines);
    }
}

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
