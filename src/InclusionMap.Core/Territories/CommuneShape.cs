using NetTopologySuite.Geometries;

namespace InclusionMap.Core.Territories;

/// <summary>The polygon of a <see cref="Commune"/>: the same row of <c>communes</c>, loaded only when asked for.</summary>
public class CommuneShape
{
    public string Code { get; set; } = "";
    /// <summary><c>geometry(MultiPolygon,4326)</c>, GiST-indexed.</summary>
    public MultiPolygon? Geometry { get; set; }
}
