using Microsoft.AspNetCore.OData.Formatter;
using Microsoft.AspNetCore.OData.Formatter.Serialization;
using Microsoft.OData;
using Microsoft.OData.Edm;
using NetTopologySuite.Geometries;
using Microsoft.OData.UriParser;

namespace InclusionMap.Server.OData;

/// <summary>
/// Writes the spatial properties of the catalogue's own classes, and leaves the commune polygon out of every answer that
/// did not name it in <c>$select</c> (it is large).
/// </summary>
public sealed class FeedResourceSerializer(IODataSerializerProvider provider) : ODataResourceSerializer(provider)
{
    public override SelectExpandNode CreateSelectExpandNode(ResourceContext resourceContext)
    {
        var node = base.CreateSelectExpandNode(resourceContext);
        if (node.SelectedStructuralProperties is { } properties
            && properties.FirstOrDefault(p => p.Name == FeedEdm.Geometry && p.Type.IsSpatial()) is { } geometry)
        {
            var clause = resourceContext.SerializerContext.SelectExpandClause;
            var named = clause?.SelectedItems.OfType<PathSelectItem>()
                .Any(i => i.SelectedPath.LastSegment is PropertySegment s && s.Property == geometry) ?? false;
            if (!named) properties.Remove(geometry);
        }
        return node;
    }

    /// <summary>A site's position read from the entity itself (no <c>$select</c>): the NetTopologySuite point, as an OData one.</summary>
    public override ODataProperty CreateStructuralProperty(IEdmStructuralProperty structuralProperty, ResourceContext resourceContext)
    {
        if (structuralProperty.Name == FeedEdm.Location && resourceContext.GetPropertyValue(FeedEdm.Location) is Point point)
            return new ODataProperty { Name = FeedEdm.Location, Value = FeedSpatial.ToGeography(point) };
        return base.CreateStructuralProperty(structuralProperty, resourceContext);
    }
}
