namespace InclusionMap.Data.Sites;

/// <summary>A WGS84 point given by a client.</summary>
public readonly record struct GeoPoint(double Latitude, double Longitude);
