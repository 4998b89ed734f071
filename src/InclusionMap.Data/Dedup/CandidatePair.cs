using InclusionMap.Core.Places;

namespace InclusionMap.Data.Dedup;

/// <summary>A candidate pair of source records and the rule's decision on it.</summary>
public sealed record CandidatePair(SourceInfo A, SourceInfo B, double DistanceMeters, DuplicateDecision Decision);
