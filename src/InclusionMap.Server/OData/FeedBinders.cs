using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using InclusionMap.Core;
using Microsoft.AspNetCore.OData.Formatter;
using Microsoft.AspNetCore.OData.Formatter.Serialization;
using Microsoft.AspNetCore.OData.Query.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.OData;
using Microsoft.OData.Edm;
using Microsoft.OData.UriParser;
using Microsoft.Spatial;
using NetTopologySuite.Geometries;
using Geometry = NetTopologySuite.Geometries.Geometry;

namespace InclusionMap.Server.OData;

/// <summary>
/// How the geo.* functions become PostGIS. Distances are on the sphere (as the KNN operator <c>&lt;-&gt;</c> on geography
/// measures them), in metres. <c>geo.distance(Location, p) le r</c> → <c>ST_DWithin(location, p, r, false)</c> (GiST on
/// <c>location</c>); in <c>$orderby</c> → <c>location &lt;-&gt; p</c>; anywhere else → <c>ST_Distance(location, p, false)</c>.
/// <c>geo.intersects</c> → <c>ST_Intersects</c> on the planar columns (<c>location_geometry</c>, commune <c>geometry</c>), both
/// GiST-indexed: polygons are read as lon/lat shapes, like GeoJSON. Literals become SQL parameters, never SQL text.
/// </summary>
internal static class GeoTranslation
{
    public const double MaxRadiusMeters = 1_000_000;
    public const int MaxPolygonVertices = 2_000;

    private static readonly Expression Functions = Expression.Property(null, typeof(EF).GetProperty(nameof(EF.Functions))!);
    private static readonly MethodInfo IsWithinDistance = typeof(NpgsqlNetTopologySuiteDbFunctionsExtensions).GetMethod(nameof(NpgsqlNetTopologySuiteDbFunctionsExtensions.IsWithinDistance))!;
    private static readonly MethodInfo Distance = typeof(NpgsqlNetTopologySuiteDbFunctionsExtensions).GetMethod(nameof(NpgsqlNetTopologySuiteDbFunctionsExtensions.Distance))!;
    private static readonly MethodInfo DistanceKnn = typeof(NpgsqlNetTopologySuiteDbFunctionsExtensions).GetMethod(nameof(NpgsqlNetTopologySuiteDbFunctionsExtensions.DistanceKnn))!;
    private static readonly MethodInfo Intersects = typeof(Geometry).GetMethod(nameof(Geometry.Intersects), [typeof(Geometry)])!;

    public static bool IsGeoFunction(SingleValueFunctionCallNode node) => node.Name.StartsWith("geo.", StringComparison.OrdinalIgnoreCase);

    /// <summary>The one policy for function calls in every binder: geo.* translated to PostGIS, cast/isof/matchesPattern
    /// refused, anything else left to the library (<paramref name="otherwise"/>).</summary>
    public static Expression BindFunctionCall(QueryBinder binder, SingleValueFunctionCallNode node, QueryBinderContext context, bool ordering, Func<Expression> otherwise)
    {
        if (IsGeoFunction(node)) return BindFunction(binder, node, context, ordering);
        if (node.Name is "cast" or "isof" or "matchesPattern")
            throw new ODataException($"The function '{node.Name}' is not supported by this service.");
        return otherwise();
    }

    /// <summary>Binds geo.distance / geo.intersects; refuses any other geo.* function.</summary>
    public static Expression BindFunction(QueryBinder binder, SingleValueFunctionCallNode node, QueryBinderContext context, bool ordering)
    {
        var args = node.Parameters.ToList();
        switch (node.Name)
        {
            case "geo.distance":
            {
                var (location, point) = DistanceOperands(binder, node, context);
                if (ordering) return Expression.Convert(Expression.Call(DistanceKnn, Functions, location, point), typeof(double?));
                return Expression.Convert(Expression.Call(Distance, Functions, location, point, Expression.Constant(false)), typeof(double?));
            }
            case "geo.intersects" when args.Count == 2:
            {
                var (left, right) = (Shape(binder, args[0], context), Shape(binder, args[1], context));
                // The literal's SQL type (geometry) is inferred from the column: one operand must be one.
                if (!left.Column && !right.Column) throw new ODataException("geo.intersects compares a site's Location or a commune's Geometry with a literal (or with each other).");
                return Expression.Call(left.Value, Intersects, right.Value);
            }
            default:
                throw new ODataException($"The function '{node.Name}' is not supported here. Supported spatial functions: geo.distance(Location, geography'SRID=4326;POINT(lon lat)') and geo.intersects(Location or Geometry, a point or polygon literal).");
        }
    }

    /// <summary><c>geo.distance(...) le r</c> (or lt, or mirrored) as the indexed <c>ST_DWithin</c>; null when the node is something else.</summary>
    public static Expression? TryBindWithin(QueryBinder binder, BinaryOperatorNode node, QueryBinderContext context)
    {
        var kind = node.OperatorKind;
        SingleValueFunctionCallNode? call;
        SingleValueNode other;
        if (Unwrap(node.Left) is SingleValueFunctionCallNode { Name: "geo.distance" } left) (call, other) = (left, node.Right);
        else if (Unwrap(node.Right) is SingleValueFunctionCallNode { Name: "geo.distance" } right)
        {
            (call, other) = (right, node.Left);
            kind = kind switch
            {
                BinaryOperatorKind.GreaterThanOrEqual => BinaryOperatorKind.LessThanOrEqual,
                BinaryOperatorKind.GreaterThan => BinaryOperatorKind.LessThan,
                BinaryOperatorKind.LessThanOrEqual => BinaryOperatorKind.GreaterThanOrEqual,
                BinaryOperatorKind.LessThan => BinaryOperatorKind.GreaterThan,
                _ => kind,
            };
        }
        else return null;
        if (kind is not (BinaryOperatorKind.LessThanOrEqual or BinaryOperatorKind.LessThan)) return null;

        if (Unwrap(other) is not ConstantNode { Value: { } raw } || raw is string || !TryDouble(raw, out var radius))
            throw new ODataException("geo.distance(...) le r needs a numeric radius literal, in metres.");
        if (!double.IsFinite(radius) || radius < 0 || radius > MaxRadiusMeters)
            throw new ODataException($"The radius must be between 0 and {MaxRadiusMeters:0} metres (1,000 km); it was {radius.ToString(CultureInfo.InvariantCulture)}.");

        var (location, point) = DistanceOperands(binder, call, context);
        Expression within = Expression.Call(IsWithinDistance, Functions, location, point, Parameter(radius), Expression.Constant(false));
        if (kind == BinaryOperatorKind.LessThan)
        {
            // ST_DWithin is inclusive; keep it for the index and add the strict bound.
            var distance = Expression.Call(Distance, Functions, location, point, Expression.Constant(false));
            within = Expression.AndAlso(within, Expression.LessThan(distance, Parameter(radius)));
        }
        return within;
    }

    private static (Expression Location, Expression Point) DistanceOperands(QueryBinder binder, SingleValueFunctionCallNode call, QueryBinderContext context)
    {
        var args = call.Parameters.Select(a => Unwrap((SingleValueNode)a)).ToList();
        if (args.Count != 2) throw new ODataException("geo.distance takes two arguments.");
        var (property, literal) = args[0] is ConstantNode ? (args[1], args[0]) : (args[0], args[1]);
        if (property is not SingleValuePropertyAccessNode { Property.Name: "Location" } access || access.Property.DeclaringType is not IEdmEntityType { Name: "Site" })
            throw new ODataException("geo.distance is supported between a site's Location and a point literal, e.g. geo.distance(Location, geography'SRID=4326;POINT(1.8717 46.1703)').");
        if (literal is not ConstantNode { Value: GeographyPoint point })
            throw new ODataException("The second argument of geo.distance must be a point literal: geography'SRID=4326;POINT(longitude latitude)'.");
        var source = binder.Bind(access.Source, context);
        return (Expression.Property(source, nameof(FeedSite.LocationPoint)), Parameter<Geometry>(FeedSpatial.ToPoint(point)));
    }

    /// <summary>An operand of geo.intersects as an NTS geometry expression over a planar, GiST-indexed column or a literal.</summary>
    private static (Expression Value, bool Column) Shape(QueryBinder binder, QueryNode node, QueryBinderContext context)
    {
        switch (Unwrap((SingleValueNode)node))
        {
            // No Convert around columns: the translator needs the column's type mapping to type the literal parameter.
            case SingleValuePropertyAccessNode { Property.Name: "Location", Property.DeclaringType: IEdmEntityType { Name: "Site" } } site:
                return (Expression.Property(binder.Bind(site.Source, context), nameof(FeedSite.LocationGeometry)), true);
            case SingleValuePropertyAccessNode { Property.Name: "Geometry", Property.DeclaringType: IEdmEntityType { Name: "Commune" } } commune:
                var shape = Expression.Property(binder.Bind(commune.Source, context), nameof(FeedCommune.Shape));
                return (Expression.Property(shape, nameof(FeedCommuneShape.Polygons)), true);
            case ConstantNode { Value: GeographyPoint point }:
                return (Parameter<Geometry>(FeedSpatial.ToPoint(point)), false);
            case ConstantNode { Value: GeographyPolygon or GeographyMultiPolygon } shapeLiteral:
                return (Parameter(FeedSpatial.ToShape((Geography)shapeLiteral.Value, MaxPolygonVertices)), false);
            default:
                throw new ODataException("geo.intersects is supported between a site's Location or a commune's Geometry and a point or polygon literal (geography'SRID=4326;POLYGON((lon lat, ...))').");
        }
    }

    public static SingleValueNode Unwrap(SingleValueNode node) => node is ConvertNode convert ? Unwrap(convert.Source) : node;

    private static bool TryDouble(object raw, out double value)
    {
        try
        {
            value = Convert.ToDouble(raw, CultureInfo.InvariantCulture);
            return true;
        }
        catch (Exception e) when (e is InvalidCastException or FormatException or OverflowException)
        {
            value = 0;
            return false;
        }
    }

    /// <summary>A value EF sends as a query parameter (a member of a captured object, like a closure variable).</summary>
    public static Expression Parameter<T>(T value) => Expression.Property(Expression.Constant(new Boxed<T>(value)), nameof(Boxed<T>.Value));

    private sealed class Boxed<T>(T value)
    {
        public T Value { get; } = value;
    }

    /// <summary>The spatial EDM properties exist only for output: outside geo.* they have no SQL meaning.</summary>
    public static void RefuseBareSpatial(SingleValuePropertyAccessNode node)
    {
        if (node.Property.Type.IsSpatial())
            throw new ODataException($"'{node.Property.Name}' can only be used inside geo.distance or geo.intersects.");
    }
}

public sealed class FeedFilterBinder : FilterBinder
{
    public override Expression BindSingleValueFunctionCallNode(SingleValueFunctionCallNode node, QueryBinderContext context) =>
        GeoTranslation.BindFunctionCall(this, node, context, ordering: false, () => base.BindSingleValueFunctionCallNode(node, context));

    public override Expression BindBinaryOperatorNode(BinaryOperatorNode node, QueryBinderContext context) =>
        GeoTranslation.TryBindWithin(this, node, context) ?? base.BindBinaryOperatorNode(node, context);

    public override Expression BindPropertyAccessQueryNode(SingleValuePropertyAccessNode node, QueryBinderContext context)
    {
        GeoTranslation.RefuseBareSpatial(node);
        return base.BindPropertyAccessQueryNode(node, context);
    }
}

public sealed class FeedOrderByBinder : OrderByBinder
{
    public override Expression BindSingleValueFunctionCallNode(SingleValueFunctionCallNode node, QueryBinderContext context) =>
        GeoTranslation.BindFunctionCall(this, node, context, ordering: true, () => base.BindSingleValueFunctionCallNode(node, context));

    public override Expression BindPropertyAccessQueryNode(SingleValuePropertyAccessNode node, QueryBinderContext context)
    {
        GeoTranslation.RefuseBareSpatial(node);
        return base.BindPropertyAccessQueryNode(node, context);
    }
}

/// <summary>
/// <c>$search</c> on names: each term, folded like the database folds <c>search_text</c> (lower case, no accents), must
/// occur in it; AND, OR, NOT and quoted phrases work. The trigram index on <c>search_text</c> serves the LIKE.
/// </summary>
public sealed class FeedSearchBinder : ISearchBinder
{
    private static readonly MethodInfo Contains = typeof(string).GetMethod(nameof(string.Contains), [typeof(string)])!;

    public Expression BindSearch(SearchClause searchClause, QueryBinderContext context)
    {
        var it = context.CurrentParameter;
        if (it.Type.GetProperty(nameof(FeedSite.SearchText)) is null)
            throw new ODataException("$search is available on Sites and Communes; elsewhere use $filter=contains(Nom,'...').");
        return Expression.Lambda(Bind(searchClause.Expression, Expression.Property(it, nameof(FeedSite.SearchText))), it);
    }

    private static Expression Bind(SingleValueNode node, Expression text) => node switch
    {
        SearchTermNode term => Term(term.Text, text),
        BinaryOperatorNode { OperatorKind: BinaryOperatorKind.And } and => Expression.AndAlso(Bind(and.Left, text), Bind(and.Right, text)),
        BinaryOperatorNode { OperatorKind: BinaryOperatorKind.Or } or => Expression.OrElse(Bind(or.Left, text), Bind(or.Right, text)),
        UnaryOperatorNode { OperatorKind: UnaryOperatorKind.Not } not => Expression.Not(Bind(not.Operand, text)),
        _ => throw new ODataException("Unsupported $search expression."),
    };

    private static Expression Term(string raw, Expression text)
    {
        var folded = TextSearch.Fold(raw);
        if (folded.Length is < 2 or > 100) throw new ODataException("Each $search term must have between 2 and 100 characters.");
        return Expression.Call(text, Contains, GeoTranslation.Parameter(folded));
    }
}

/// <summary>
/// Projects the spatial EDM properties from their NTS columns: <c>Location</c> from <c>location</c>, and the commune
/// <c>Geometry</c> from the table-split shape, so a polygon is read only when <c>$select</c> names it.
/// </summary>
public sealed class FeedSelectExpandBinder(IFilterBinder filterBinder, IOrderByBinder orderByBinder) : SelectExpandBinder(filterBinder, orderByBinder)
{
    private static readonly MethodInfo PointToGeography = typeof(FeedSpatial).GetMethod(nameof(FeedSpatial.ToGeography), [typeof(Point)])!;
    private static readonly MethodInfo ShapeToGeography = typeof(FeedSpatial).GetMethod(nameof(FeedSpatial.ToGeography), [typeof(MultiPolygon)])!;

    public override Expression CreatePropertyValueExpression(QueryBinderContext context, IEdmStructuredType elementType, IEdmProperty edmProperty, Expression source,
        FilterClause filterClause, ComputeClause computeClause = null!, SearchClause search = null!)
    {
        if (source.Type == typeof(FeedSite) && edmProperty.Name == nameof(FeedSite.Location))
            return Expression.Call(PointToGeography, Expression.Property(source, nameof(FeedSite.LocationPoint)));
        if (source.Type == typeof(FeedCommune) && edmProperty.Name == nameof(FeedCommune.Geometry))
            return Expression.Call(ShapeToGeography, Expression.Property(Expression.Property(source, nameof(FeedCommune.Shape)), nameof(FeedCommuneShape.Polygons)));
        return base.CreatePropertyValueExpression(context, elementType, edmProperty, source, filterClause, computeClause, search);
    }

    // $compute expressions are bound by this binder itself.
    public override Expression BindSingleValueFunctionCallNode(SingleValueFunctionCallNode node, QueryBinderContext context) =>
        GeoTranslation.BindFunctionCall(this, node, context, ordering: false, () => base.BindSingleValueFunctionCallNode(node, context));

    public override Expression BindBinaryOperatorNode(BinaryOperatorNode node, QueryBinderContext context) =>
        GeoTranslation.TryBindWithin(this, node, context) ?? base.BindBinaryOperatorNode(node, context);
}

/// <summary>Leaves the commune polygon out of every answer that did not name it in <c>$select</c> (it is large).</summary>
public sealed class FeedResourceSerializer(IODataSerializerProvider provider) : ODataResourceSerializer(provider)
{
    public override SelectExpandNode CreateSelectExpandNode(ResourceContext resourceContext)
    {
        var node = base.CreateSelectExpandNode(resourceContext);
        if (node.SelectedStructuralProperties is { } properties && properties.FirstOrDefault(p => p.Name == nameof(FeedCommune.Geometry) && p.Type.IsSpatial()) is { } geometry)
        {
            var clause = resourceContext.SerializerContext.SelectExpandClause;
            var named = clause?.SelectedItems.OfType<PathSelectItem>().Any(i => i.SelectedPath.LastSegment is PropertySegment s && s.Property == geometry) ?? false;
            if (!named) properties.Remove(geometry);
        }
        return node;
    }
}
