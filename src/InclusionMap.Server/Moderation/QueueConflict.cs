using InclusionMap.Data.Moderation;

namespace InclusionMap.Server.Moderation;

/// <summary>An edited field a newer source record contradicts: both values are in <see cref="Edit"/>.</summary>
public sealed record QueueConflict(SiteEdit Edit, string SiteName, string? DepartementCode);
