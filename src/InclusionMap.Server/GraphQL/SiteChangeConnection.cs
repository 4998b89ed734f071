using InclusionMap.Data.History;

namespace InclusionMap.Server.GraphQL;

/// <summary>A page of a site's history, newest first.</summary>
public sealed record SiteChangeConnection(IReadOnlyList<SiteChange> Changes, bool HasNextPage, bool HasPreviousPage);
