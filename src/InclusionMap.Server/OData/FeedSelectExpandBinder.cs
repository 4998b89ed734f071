using System.Linq.Expressions;
using System.Reflection;
using InclusionMap.Core.Places;
using InclusionMap.Core.Territories;
using Microsoft.AspNetCore.OData.Query.Expressions;
using Microsoft.OData.Edm;
using Microsoft.OData.UriParser;
using NetTopologySuite.Geometries;

namespace InclusionMap.Server.OData;

/// <summary>
/// Projects the spatial EDM properties from their NTS columns: <c>Location</c> from <c>location</c>, and the commune
/// <c>Geometry</c> from the table-split shape, so a polygon is read only when <c>$select</c> names it.
/// </summary>
internal sealed class FeedSelectExpandBinder(IFilterBinder filterBinder, IOrderByBinder orderByBinder, GeoTranslation spatial)
    : SelectExpandBinder(filterBinder, orderByBinder)
{
    private static readonly MethodInfo PointToGeography = typeof(FeedSpatial).GetMethod(nameof(FeedSpatial.ToGeography), [typeof(Point)])!;
    private static readonly MethodInfo ShapeToGeography =
        typeof(FeedSpatial).GetMethod(nameof(FeedSpatial.ToGeography), [typeof(MultiPolygon)])!;

    public override Expression CreatePropertyValueExpression(QueryBinderContext context, IEdmStructuredType elementType,
        IEdmProperty edmProperty, Expression source, FilterClause filterClause, ComputeClause computeClause = null!,
        SearchClause search = null!)
    {
        if (source.Type == typeof(Site) && edmProperty.Name == FeedEdm.Location)
            return Expression.Call(PointToGeography, Expression.Property(source, nameof(Site.Location)));
        if (source.Type == typeof(Commune) && edmProperty.Name == FeedEdm.Geometry)
        {
            return Expression.Call(ShapeToGeography,
                Expression.Property(Expression.Property(source, nameof(Commune.Shape)), nameof(CommuneShape.Geometry)));
        }
        return base.CreatePropertyValueExpression(context, elementType, edmProperty, source, filterClause, computeClause, search);
    }

    // $compute expressions are bound by this binder itself.
    public override Expression BindSingleValueFunctionCallNode(SingleValueFunctionCallNode node, QueryBinderContext context) =>
        spatial.BindFunctionCall(this, node, context, ordering: false, () => base.BindSingleValueFunctionCallNode(node, context));

    public override Expression BindBinaryOperatorNode(BinaryOperatorNode node, QueryBinderContext context) =>
        spatial.TryBindWithin(this, node, context) ?? base.BindBinaryOperatorNode(node, context);
}
