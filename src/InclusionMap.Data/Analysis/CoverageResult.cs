using NetTopologySuite.Geometries;

namespace InclusionMap.Data.Analysis;

/// <summary>
/// The whole answer; <c>SiteLocations</c> are the matching sites inside the studied communes (their count is the summary's <c>Sites</c>).
/// </summary>
public sealed record CoverageResult(CoverageRequest Request, CoverageSummary Summary, IReadOnlyList<CommuneCoverage> Communes,
    IReadOnlyList<CommuneCoverage> Gaps,
    IReadOnlyList<CoverageSuggestion> Suggestions, IReadOnlyList<Point> SiteLocations, double DefaultWeeklyHours);
