namespace InclusionMap.Data.Dedup;

/// <summary>The source record side of a pair, for explanations.</summary>
public sealed record SourceInfo(long Id, long SiteId, string Dataset, string SourceId, string Nom, string? Adresse,
    string? DepartementCode);
