namespace InclusionMap.Data.Sites;

/// <summary>A lon/lat rectangle (west, south, east, north), in degrees.</summary>
public readonly record struct BoundingBox(double West, double South, double East, double North);
