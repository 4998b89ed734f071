using InclusionMap.Core.Places;
using InclusionMap.Core.Territories;
using Microsoft.OData;
using Microsoft.OData.Edm;
using Microsoft.OData.ModelBuilder;
using Microsoft.OData.UriParser;
using Microsoft.Spatial;
using NetTopologySuite.Geometries;
using Geometry = NetTopologySuite.Geometries.Geometry;

namespace InclusionMap.Server.OData;

/// <summary>
/// The entity data model published at <c>/odata/$metadata</c>, over the catalogue's own model: a site's properties are
/// the registry's fields (<see cref="SiteFields"/>) under their property names, its position an
/// <c>Edm.GeographyPoint</c>; a commune's polygon an <c>Edm.GeographyMultiPolygon</c> read only when selected.
/// </summary>
public static class FeedEdm
{
    public const string Namespace = "InclusionMap";
    /// <summary>The EDM name of a site's position (a GeographyPoint made from <see cref="Site.Location"/>).</summary>
    public const string Location = nameof(Site.Location);
    /// <summary>The EDM name of a commune's polygon (a GeographyMultiPolygon made from its <see cref="CommuneShape"/>).</summary>
    public const string Geometry = "Geometry";

    public static IEdmModel Build()
    {
        var builder = new ODataConventionModelBuilder { Namespace = Namespace, ContainerName = "Catalogue" };

        var site = builder.EntitySet<Site>("Sites").EntityType;
        site.Namespace = Namespace;
        site.HasKey(s => s.Id);
        // Every published field and the commune; nothing else of the class (internal columns, provenance).
        var siteType = builder.AddEntityType(typeof(Site));
        foreach (var property in typeof(Site).GetProperties())
            if ((!SiteFields.ByName.ContainsKey(property.Name) || property.Name == Location) && property.Name != nameof(Site.Commune))
                siteType.RemoveProperty(property);

        var commune = builder.EntitySet<Commune>("Communes").EntityType;
        commune.Namespace = Namespace;
        commune.HasKey(c => c.Code);
        commune.Ignore(c => c.Shape);
        commune.Ignore(c => c.SearchText);
        commune.Ignore(c => c.Centre);

        var departement = builder.EntitySet<Departement>("Departements").EntityType;
        departement.Namespace = Namespace;
        departement.HasKey(d => d.Code);
        departement.Ignore(d => d.Geometry);

        var region = builder.EntitySet<Region>("Regions").EntityType;
        region.Namespace = Namespace;
        region.HasKey(r => r.Code);

        var model = (EdmModel)builder.GetEdmModel();
        // The spatial properties, as OData clients know them; values are made from the NetTopologySuite columns by
        // FeedSelectExpandBinder and FeedResourceSerializer.
        ((EdmEntityType)model.FindDeclaredType(Namespace + ".Site")).AddStructuralProperty(Location, EdmPrimitiveTypeKind.GeographyPoint, isNullable: true);
        ((EdmEntityType)model.FindDeclaredType(Namespace + ".Commune")).AddStructuralProperty(Geometry, EdmPrimitiveTypeKind.GeographyMultiPolygon, isNullable: true);
        return model;
    }

    private static bool _functionsRegistered;
    private static readonly Lock FunctionsGate = new();

    /// <summary>
    /// OData 4.0 defines geo.intersects for a point and a polygon only; communes are multipolygons. The URI parser's
    /// function table is process-wide, so the overloads are added once.
    /// </summary>
    public static void RegisterSpatialOverloads()
    {
        lock (FunctionsGate)
        {
            if (_functionsRegistered) return;
            var boolean = EdmCoreModel.Instance.GetBoolean(true);
            var point = EdmCoreModel.Instance.GetSpatial(EdmPrimitiveTypeKind.GeographyPoint, true);
            var multi = EdmCoreModel.Instance.GetSpatial(EdmPrimitiveTypeKind.GeographyMultiPolygon, true);
            var polygon = EdmCoreModel.Instance.GetSpatial(EdmPrimitiveTypeKind.GeographyPolygon, true);
            foreach (var signature in new[]
                     {
                         new FunctionSignatureWithReturnType(boolean, point, multi),
                         new FunctionSignatureWithReturnType(boolean, multi, point),
                         new FunctionSignatureWithReturnType(boolean, multi, polygon),
                         new FunctionSignatureWithReturnType(boolean, polygon, multi),
                     })
            {
                try
                {
                    CustomUriFunctions.AddCustomUriFunction("geo.intersects", signature);
                }
                catch (ODataException)
                {
                    // Already registered (another host in the same process, e.g. tests).
                }
            }
            _functionsRegistered = true;
        }
    }
}

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
        if (!geometry.IsValid) throw new ODataException("The polygon literal is not a valid polygon (self-intersecting or badly nested rings).");
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
            throw new ODataException($"Coordinates out of range: longitude {longitude}, latitude {latitude} (WKT is 'POINT(longitude latitude)').");
    }
}
