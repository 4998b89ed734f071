namespace InclusionMap.Bench;

/// <summary>Rows of measures × one column per catalogue size, rendered as Markdown in insertion order.</summary>
public sealed class ResultTable
{
    private readonly List<(string Key, string Label, string Target)> _rows = [];
    private readonly Dictionary<(string, int), string> _cells = [];
    public List<string> Columns { get; } = [];

    public void Set(string key, string label, int column, string value, string target)
    {
        var index = _rows.FindIndex(r => r.Key == key);
        if (index < 0) _rows.Add((key, label, target));
        else if (target.Length > 0) _rows[index] = (key, label, target);
        _cells[(key, column)] = value;
    }

    public string Render() => MarkdownTable.Render(["measure (sites →)", .. Columns, "target"],
        _rows.Select(r => (string[])[r.Label, .. Columns.Select((_, i) => _cells.GetValueOrDefault((r.Key, i), "")), r.Target]));
}
