using InclusionMap.Core.Places;
using Microsoft.OData;
using Microsoft.Spatial;
using NetTopologySuite.Geometries;
using Geometry = NetTopologySuite.Geometries.Geometry;

namespace InclusionMap.Server.OData;

/// <summary>Conversions between NetTopologySuite (EF, PostGIS) and Microsoft.Spatial (OData) values, in WGS84.</summary>
public static class FeedSpatial
{
    public const int Srid = 4326;
    private static readonly CoordinateSystem Wgs84Geography = CoordinateSystem.Geography(Srid);

    public static GeographyPoint? ToGeography(Point? point) =>
        point is null ? null : GeographyFactory.Point(Wgs84Geography, point.Y, point.X).Build();

    public static GeographyMultiPolygon? ToGeography(MultiPolygon? shape)
    {
        if (shape is null) return null;
        var factory = GeographyFactory.MultiPolygon(Wgs84Geography);
        foreach (var polygon in shape.Geometries.Cast<Polygon>())
        {
            factory = factory.Polygon();
            foreach (var ring in new[] { polygon.ExteriorRing }.Concat(polygon.InteriorRings))
            {
                var coordinates = ring.Coordinates;
                factory = factory.Ring(coordinates[0].Y, coordinates[0].X);
                for (var i = 1; i < coordinates.Length; i++) factory = factory.LineTo(coordinates[i].Y, coordinates[i].X);
            }
        }
        return factory.Build();
    }

    /// <summary>A literal point of a query as an NTS point (x = longitude), after checking its reference system and range.</summary>
    public static Point ToPoint(GeographyPoint point)
    {
        CheckSrid(point);
        CheckRange(point.Latitude, point.Longitude);
        return SiteRecord.Wgs84.CreatePoint(new Coordinate(point.Longitude, point.Latitude));
    }

    /// <summary>A literal polygon or multipolygon as an NTS geometry, in lon/lat (the planar reading GeoJSON uses).</summary>
    public static Geometry ToShape(Geography shape, int maxVertices)
    {
        CheckSrid(shape);
        var polygons = shape switch
        {
            GeographyPolygon p => [p],
            GeographyMultiPolygon m => m.Polygons.ToList(),
            _ => throw new ODataException($"geo.intersects expects a polygon or a multipolygon, not a {shape.GetType().Name}."),
        };
        var vertices = 0;
        var result = new List<Polygon>();
        foreach (var polygon in polygons)
        {
            if (polygon.Rings.Count == 0) throw new ODataException("The polygon literal has no ring.");
            var rings = polygon.Rings.Select(ring =>
            {
                var coordinates = ring.Points.Select(p =>
                {
                    CheckRange(p.Latitude, p.Longitude);
                    return new Coordinate(p.Longitude, p.Latitude);
                }).ToList();
                if (coordinates.Count > 0 && !coordinates[0].Equals2D(coordinates[^1])) coordinates.Add(coordinates[0].Copy());
                vertices += coordinates.Count;
                if (coordinates.Count < 4) throw new ODataException("A polygon ring needs at least 3 distinct points.");
                return SiteRecord.Wgs84.CreateLinearRing(coordinates.ToArray());
            }).ToList();
            result.Add(SiteRecord.Wgs84.CreatePolygon(rings[0], rings.Skip(1).ToArray()));
        }
        if (vertices > maxVertices) throw new ODataException($"The polygon literal has {vertices} vertices; the limit is {maxVertices}.");
        Geometry geometry = result.Count == 1 ? result[0] : SiteRecord.Wgs84.CreateMultiPolygon(result.ToArray());
        if (!geometry.IsValid)
            throw new ODataException("The polygon literal is not a valid polygon (self-intersecting or badly nested rings).");
        return geometry;
    }

    private static void CheckSrid(Geography value)
    {
        if (value.CoordinateSystem.EpsgId is { } srid && srid != Srid)
            throw new ODataException($"Only SRID={Srid} (WGS84) is supported, not SRID={srid}.");
    }

    private static void CheckRange(double latitude, double longitude)
    {
        if (!double.IsFinite(latitude) || !double.IsFinite(longitude) || latitude is < -90 or > 90 || longitude is < -180 or > 180)
            throw new ODataException(
                $"Coordinates out of range: longitude {longitude}, latitude {latitude} (WKT is 'POINT(longitude latitude)').");
    }
}
