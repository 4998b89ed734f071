using InclusionMap.Data.Sites;

namespace InclusionMap.Server.GraphQL;

/// <summary>A Relay connection over a <see cref="SitePage"/>; <c>totalCount</c> is only computed when asked.</summary>
public sealed record SiteConnection(SitePage Page);
