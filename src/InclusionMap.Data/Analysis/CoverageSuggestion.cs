using NetTopologySuite.Geometries;

namespace InclusionMap.Data.Analysis;

/// <summary>A suggested new site at a commune's point on surface.</summary>
public sealed record CoverageSuggestion(int Rank, string CommuneCode, string CommuneName, Point Location, double NewlyCovered,
    double CoveredAfter, IReadOnlyList<string> CoveredCommunes);
