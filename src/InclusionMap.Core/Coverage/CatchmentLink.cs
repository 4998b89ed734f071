namespace InclusionMap.Core.Coverage;

/// <summary>A pair of a demand point (commune) and a supply point (site) within the catchment, by index.</summary>
public readonly record struct CatchmentLink(int Demand, int Supply, double DistanceMeters);
