using NetTopologySuite.Geometries;

namespace InclusionMap.Data.Analysis;

/// <summary>One commune of the analysis.</summary>
public sealed record CommuneCoverage(
    string Code, string Nom, int Population, double PeopleInNeed, double? IllectronismRate, Point? Centre,
    long? NearestSiteId, string? NearestSiteName, double? NearestDistanceMeters, bool Beyond, double Accessibility);
