using InclusionMap.Data.Moderation;

namespace InclusionMap.Server.Moderation;

/// <summary>An open report with the name and commune of its place (null when the place is gone, merged into another).</summary>
public sealed record QueueReport(Report Report, string? SiteName, string? CommuneName);
