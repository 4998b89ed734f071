namespace InclusionMap.Client;

/// <summary>
/// One query on one root field: declares a variable for each argument given (in the schema's order, so one question
/// always makes the same document and URL), none for those left out (the server's defaults apply).
/// </summary>
internal sealed class Operation(string rootField, string name)
{
    private readonly List<(string Name, string Type, object Value)> _arguments = [];

    public string Field => rootField;

    public string Name => name;

    public Operation Add(string argument, string type, object? value)
    {
        if (value is not null) _arguments.Add((argument, type, value));
        return this;
    }

    public IReadOnlyDictionary<string, object?>? Variables =>
        _arguments.Count == 0 ? null : _arguments.ToDictionary(a => a.Name, a => (object?)a.Value);

    public string Document(SelectionNode? selection)
    {
        var declarations = _arguments.Count == 0 ? "" : "(" + string.Join(", ", _arguments.Select(a => $"${a.Name}: {a.Type}")) + ")";
        var arguments = _arguments.Count == 0 ? "" : "(" + string.Join(", ", _arguments.Select(a => $"{a.Name}: ${a.Name}")) + ")";
        var body = selection is null ? "" : " { " + selection + " }";
        return $"query {name}{declarations} {{ {rootField}{arguments}{body} }}";
    }
}
