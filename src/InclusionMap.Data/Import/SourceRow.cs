namespace InclusionMap.Data.Import;

/// <summary>One row of a source file as read: field name → text, plus the row exactly as it was, as JSON.</summary>
public sealed record SourceRow(int RowNumber, IReadOnlyDictionary<string, string?> Fields, string RawJson)
{
    public string? this[string field] => Fields.TryGetValue(field, out var v) ? v : null;
}
