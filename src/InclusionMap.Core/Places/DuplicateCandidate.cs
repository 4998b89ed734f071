namespace InclusionMap.Core.Places;

/// <summary>The name and address of a source record, as compared by <see cref="DuplicateRule"/>.</summary>
public sealed record DuplicateCandidate(string Nom, string? Adresse);
