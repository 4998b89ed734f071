namespace InclusionMap.Data.Sites;

/// <summary>One page of sites; the total is counted only when asked for.</summary>
public sealed record SitePage(
    IReadOnlyList<SiteHit> Hits, bool HasNextPage, bool HasPreviousPage, Func<CancellationToken, Task<int>> CountAsync);
