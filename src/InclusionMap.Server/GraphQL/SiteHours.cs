using InclusionMap.Core.OpeningHours;

namespace InclusionMap.Server.GraphQL;

/// <summary>A site's opening hours with the place's time zone and holiday calendar.</summary>
public sealed record SiteHours(OpeningHours Hours, string? DepartementCode);
