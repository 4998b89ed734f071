namespace InclusionMap.Data.Import;

/// <summary>One problem in one row: a rejected row (not imported) or a warning (value dropped or rewritten, row imported).</summary>
public sealed record ImportIssue(int Row, string? Id, string Field, string? Value, string Reason, string Severity)
{
    public const string Rejected = "rejected";
    public const string Warning = "warning";
}
