using InclusionMap.Core.Schema;

namespace InclusionMap.Core.Places;

/// <summary>One source record of a site, as the merge sees it.</summary>
public sealed record MergeSource(long SourceId, DateOnly DateMaj, SchemaV1Record Record);
