using System.Globalization;
using InclusionMap.Core.Schema;
using NetTopologySuite;
using NetTopologySuite.Geometries;

namespace InclusionMap.Core.Places;

/// <summary>
/// Conversions between a validated schema v1.0.2 record and a <see cref="Site"/>, field by field from the registry
/// (<see cref="SiteFields.BySchemaName"/>): the schema's latitude and longitude become the site's position.
/// </summary>
public static class SiteRecord
{
    public static readonly GeometryFactory Wgs84 = NtsGeometryServices.Instance.CreateGeometryFactory(srid: 4326);

    /// <summary>Copies every schema field of a validated record onto a site.</summary>
    public static void Apply(SchemaV1Record r, Site site)
    {
        foreach (var (name, field) in SiteFields.BySchemaName)
        {
            switch (field.Kind)
            {
                case SiteFieldKind.Text: field.Set(site, r[name] ?? (field.Nullable ? null : "")); break;
                case SiteFieldKind.TextList: field.Set(site, r.GetMany(name).ToList()); break;
                case SiteFieldKind.Date: field.Set(site, DateOnly.ParseExact(r[name]!, "yyyy-MM-dd", CultureInfo.InvariantCulture)); break;
                // latitude and longitude are generated from the position, set below.
                case SiteFieldKind.Number: break;
                default: throw new InvalidOperationException($"The schema field {name} has no conversion for {field.Kind}.");
            }
        }
        var lat = r.GetNumber("latitude");
        var lon = r.GetNumber("longitude");
        site.Location = lat is { } la && lon is { } lo ? Wgs84.CreatePoint(new Coordinate(lo, la)) : null;
    }

    /// <summary>The schema v1.0.2 record of a site, with the given <c>id</c>.</summary>
    public static SchemaV1Record ToRecord(Site site, string id)
    {
        var r = new SchemaV1Record { ["id"] = id };
        foreach (var (name, field) in SiteFields.BySchemaName)
        {
            switch (field.Kind)
            {
                case SiteFieldKind.Text: r[name] = (string?)field.Get(site); break;
                case SiteFieldKind.TextList: r.SetMany(name, (List<string>)field.Get(site)!); break;
                case SiteFieldKind.Date: r[name] = ((DateOnly)field.Get(site)!).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture); break;
                case SiteFieldKind.Number: break;
                default: throw new InvalidOperationException($"The schema field {name} has no conversion for {field.Kind}.");
            }
        }
        r.SetNumber("latitude", site.Location?.Y);
        r.SetNumber("longitude", site.Location?.X);
        return r;
    }
}
