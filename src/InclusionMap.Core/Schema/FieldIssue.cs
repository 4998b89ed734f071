namespace InclusionMap.Core.Schema;

/// <summary>A problem found in one field of one row.</summary>
/// <param name="Field">Official field name.</param>
/// <param name="Value">The offending value as read (null when missing).</param>
/// <param name="Reason">Readable reason, in English.</param>
public sealed record FieldIssue(string Field, string? Value, string Reason);
