namespace InclusionMap.Core.Coverage;

/// <summary>One pick of the maximal covering heuristic.</summary>
/// <param name="Candidate">Index of the chosen candidate.</param>
/// <param name="NewlyCovered">People in need it covers that no existing or earlier pick covered.</param>
/// <param name="CoveredAfter">People in need covered once it is added.</param>
public sealed record CoveringPick(int Candidate, double NewlyCovered, double CoveredAfter);
