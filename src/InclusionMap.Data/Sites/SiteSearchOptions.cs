using System.ComponentModel.DataAnnotations;

namespace InclusionMap.Data.Sites;

/// <summary>
/// The limits of a site search, the same for every API (configuration section <c>InclusionMap:Search</c>).
/// </summary>
public sealed class SiteSearchOptions
{
    public const string Section = "InclusionMap:Search";

    /// <summary>Sites per page at most (GraphQL <c>first</c>, OData page size).</summary>
    [Range(1, 1000)]
    public int MaxPageSize { get; set; } = 100;

    /// <summary>The largest radius around a point, in metres.</summary>
    [Range(1, 1_000_000)]
    public double MaxRadiusMeters { get; set; } = 100_000;

    /// <summary>Vertices of a polygon a search may send.</summary>
    [Range(4, 100_000)]
    public int MaxPolygonVertices { get; set; } = 10_000;

    /// <summary>
    /// Opening hours are evaluated in memory: a search with <c>openAt</c> may match at most this many sites before its
    /// other filters, else it is refused as too broad.
    /// </summary>
    [Range(1, 1_000_000)]
    public int MaxOpenAtCandidates { get; set; } = 10_000;
}
