namespace InclusionMap.Data.Dedup;

/// <summary>What a deduplication run changed.</summary>
/// <param name="Candidates">Pairs of source records close enough to be compared.</param>
/// <param name="Accepted">Pairs the rule judged to be the same place.</param>
/// <param name="Merged">Sites absorbed into another site (the import summary's "merged").</param>
/// <param name="Split">Sites created by splitting a cluster the rule no longer accepts (after raising the threshold).</param>
/// <param name="Rebuilt">Sites whose fields were rebuilt from their sources.</param>
public sealed record DedupResult(int Candidates, int Accepted, int Merged, int Split, int Rebuilt);
