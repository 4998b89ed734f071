using InclusionMap.Core.Places;
using InclusionMap.Core.Territories;
using Microsoft.OData;
using Microsoft.OData.Edm;
using Microsoft.OData.ModelBuilder;
using Microsoft.OData.UriParser;

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
        ((EdmEntityType)model.FindDeclaredType(Namespace + ".Site"))
            .AddStructuralProperty(Location, EdmPrimitiveTypeKind.GeographyPoint, isNullable: true);
        ((EdmEntityType)model.FindDeclaredType(Namespace + ".Commune"))
            .AddStructuralProperty(Geometry, EdmPrimitiveTypeKind.GeographyMultiPolygon, isNullable: true);
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
