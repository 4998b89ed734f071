using NetTopologySuite.Geometries;

namespace InclusionMap.Data.Sites;

/// <summary>
/// What a client asks of the catalogue, whichever API it asks through. Every part is optional and they combine with
/// AND; vocabulary lists hold official labels and match sites having any of them.
/// </summary>
public sealed record SiteFilter
{
    /// <summary>Order by distance from this point; sites without a position are left out.</summary>
    public GeoPoint? Near { get; init; }
    /// <summary>With <see cref="Near"/>: only sites within this many metres.</summary>
    public double? RadiusMeters { get; init; }
    public BoundingBox? BoundingBox { get; init; }
    /// <summary>Only sites inside this Polygon or MultiPolygon (lon/lat).</summary>
    public Geometry? Within { get; init; }
    /// <summary>An INSEE code; an arrondissement (75101), a former or a delegated code designates its current commune.</summary>
    public string? CommuneCode { get; init; }
    public string? DepartementCode { get; init; }
    public IReadOnlyList<string>? Services { get; init; }
    public IReadOnlyList<string>? Publics { get; init; }
    public IReadOnlyList<string>? Frais { get; init; }
    public IReadOnlyList<string>? Modalites { get; init; }
    public IReadOnlyList<string>? Programmes { get; init; }
    /// <summary>Only sites whose opening hours say they are open at this instant (unknown hours never count).</summary>
    public DateTimeOffset? OpenAt { get; init; }
    /// <summary>Text in the name, commune or address, case and accents ignored.</summary>
    public string? Search { get; init; }
    /// <summary>Also the retired sites (every source stopped listing them), which every search leaves out otherwise.</summary>
    public bool IncludeRetired { get; init; }
}
