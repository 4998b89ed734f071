namespace InclusionMap.Bench;

public static class MarkdownTable
{
    public static string Render(IReadOnlyList<string> header, IEnumerable<string[]> rows)
    {
        var lines = new List<string> { "| " + string.Join(" | ", header) + " |", "|" + string.Concat(header.Select(_ => "---|")) };
        lines.AddRange(rows.Select(r =>
            "| " + string.Join(" | ", r.Concat(Enumerable.Repeat("", Math.Max(0, header.Count - r.Length)))) + " |"));
        return string.Join('\n', lines);
    }
}
