namespace InclusionMap.Core.Places;

/// <summary>What a <see cref="SiteField"/> holds, derived from its property's type.</summary>
public enum SiteFieldKind
{
    /// <summary>The site's identifier (<c>long</c>; GraphQL <c>ID</c>).</summary>
    Id,
    Text,
    Number,
    /// <summary>A calendar date (<c>DateOnly</c>).</summary>
    Date,
    /// <summary>An instant (<c>DateTimeOffset</c>).</summary>
    Instant,
    /// <summary>A list of text; with a vocabulary, the official labels of its values.</summary>
    TextList,
    /// <summary>A WGS84 point (NetTopologySuite <c>Point</c>, geography in the database).</summary>
    Point,
}
