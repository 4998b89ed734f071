using InclusionMap.Core.Schema;

namespace InclusionMap.Data.Import;

/// <summary>The outcome of mapping one source row: the schema-v1 record and what was changed or dropped on the way.</summary>
public sealed record MappedRow(SourceRow Row, string? SourceId, SchemaV1Record Record, List<FieldIssue> Warnings);
