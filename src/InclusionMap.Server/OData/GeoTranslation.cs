using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using InclusionMap.Core.Places;
using InclusionMap.Core.Territories;
using InclusionMap.Data.Sites;
using Microsoft.AspNetCore.OData.Query.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.OData;
using Microsoft.OData.Edm;
using Microsoft.OData.UriParser;
using Microsoft.Spatial;
using Geometry = NetTopologySuite.Geometries.Geometry;

namespace InclusionMap.Server.OData;

/// <summary>
/// How the geo.* functions become PostGIS. Distances are on the sphere (as the KNN operator <c>&lt;-&gt;</c> on geography
/// measures them), in metres. <c>geo.distance(Location, p) le r</c> → <c>ST_DWithin(location, p, r, false)</c> (GiST on
/// <c>location</c>); in <c>$orderby</c> → <c>location &lt;-&gt; p</c>; anywhere else → <c>ST_Distance(location, p, false)</c>.
/// <c>geo.intersects</c> → <c>ST_Intersects</c> on the planar columns (<c>location_geometry</c>, commune <c>geometry</c>), both
/// GiST-indexed: polygons are read as lon/lat shapes, like GeoJSON. Literals become SQL parameters, never SQL text.
/// </summary>
internal sealed class GeoTranslation(SiteSearchOptions limits)
{

    private static readonly Expression Functions = Expression.Property(null, typeof(EF).GetProperty(nameof(EF.Functions))!);
    private static readonly MethodInfo IsWithinDistance = typeof(NpgsqlNetTopologySuiteDbFunctionsExtensions)
        .GetMethod(nameof(NpgsqlNetTopologySuiteDbFunctionsExtensions.IsWithinDistance))!;
    private static readonly MethodInfo Distance = typeof(NpgsqlNetTopologySuiteDbFunctionsExtensions)
        .GetMethod(nameof(NpgsqlNetTopologySuiteDbFunctionsExtensions.Distance))!;
    private static readonly MethodInfo DistanceKnn = typeof(NpgsqlNetTopologySuiteDbFunctionsExtensions)
        .GetMethod(nameof(NpgsqlNetTopologySuiteDbFunctionsExtensions.DistanceKnn))!;
    private static readonly MethodInfo Intersects = typeof(Geometry).GetMethod(nameof(Geometry.Intersects), [typeof(Geometry)])!;

    public static bool IsGeoFunction(SingleValueFunctionCallNode node) => node.Name.StartsWith("geo.", StringComparison.OrdinalIgnoreCase);

    /// <summary>The one policy for function calls in every binder: geo.* translated to PostGIS, cast/isof/matchesPattern
    /// refused, anything else left to the library (<paramref name="otherwise"/>).</summary>
    public Expression BindFunctionCall(
        QueryBinder binder, SingleValueFunctionCallNode node, QueryBinderContext context, bool ordering, Func<Expression> otherwise)
    {
        if (IsGeoFunction(node)) return BindFunction(binder, node, context, ordering);
        if (node.Name is "cast" or "isof" or "matchesPattern")
            throw new ODataException($"The function '{node.Name}' is not supported by this service.");
        return otherwise();
    }

    /// <summary>Binds geo.distance / geo.intersects; refuses any other geo.* function.</summary>
    public Expression BindFunction(QueryBinder binder, SingleValueFunctionCallNode node, QueryBinderContext context, bool ordering)
    {
        var args = node.Parameters.ToList();
        switch (node.Name)
        {
            case "geo.distance":
            {
                var (location, point) = DistanceOperands(binder, node, context);
                if (ordering) return Expression.Convert(Expression.Call(DistanceKnn, Functions, location, point), typeof(double?));
                return Expression.Convert(
                    Expression.Call(Distance, Functions, location, point, Expression.Constant(false)), typeof(double?));
            }
            case "geo.intersects" when args.Count == 2:
            {
                var (left, right) = (Shape(binder, args[0], context), Shape(binder, args[1], context));
                // The literal's SQL type (geometry) is inferred from the column: one operand must be one.
                if (!left.Column && !right.Column)
                {
                    throw new ODataException(
                        "geo.intersects compares a site's Location or a commune's Geometry with a literal (or with each other).");
                }
                return Expression.Call(left.Value, Intersects, right.Value);
            }
            default:
                throw new ODataException($"The function '{node.Name}' is not supported here. Supported spatial functions: "
                    + "geo.distance(Location, geography'SRID=4326;POINT(lon lat)') and "
                    + "geo.intersects(Location or Geometry, a point or polygon literal).");
        }
    }

    /// <summary>
    /// <c>geo.distance(...) le r</c> (or lt, or mirrored) as the indexed <c>ST_DWithin</c>; null when the node is something else.
    /// </summary>
    public Expression? TryBindWithin(QueryBinder binder, BinaryOperatorNode node, QueryBinderContext context)
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
        if (!double.IsFinite(radius) || radius < 0 || radius > limits.MaxRadiusMeters)
            throw new ODataException(string.Create(CultureInfo.InvariantCulture,
                $"The radius must be between 0 and {limits.MaxRadiusMeters:0} metres ({limits.MaxRadiusMeters / 1000:0.#} km); "
                + $"it was {radius}."));

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

    private static (Expression Location, Expression Point) DistanceOperands(
        QueryBinder binder, SingleValueFunctionCallNode call, QueryBinderContext context)
    {
        var args = call.Parameters.Select(a => Unwrap((SingleValueNode)a)).ToList();
        if (args.Count != 2) throw new ODataException("geo.distance takes two arguments.");
        var (property, literal) = args[0] is ConstantNode ? (args[1], args[0]) : (args[0], args[1]);
        if (property is not SingleValuePropertyAccessNode { Property.Name: "Location" } access
            || access.Property.DeclaringType is not IEdmEntityType { Name: "Site" })
        {
            throw new ODataException("geo.distance is supported between a site's Location and a point literal, "
                + "e.g. geo.distance(Location, geography'SRID=4326;POINT(1.8717 46.1703)').");
        }
        if (literal is not ConstantNode { Value: GeographyPoint point })
        {
            throw new ODataException(
                "The second argument of geo.distance must be a point literal: geography'SRID=4326;POINT(longitude latitude)'.");
        }
        var source = binder.Bind(access.Source, context);
        return (Expression.Property(source, nameof(Site.Location)), Parameter<Geometry>(FeedSpatial.ToPoint(point)));
    }

    /// <summary>An operand of geo.intersects as an NTS geometry expression over a planar, GiST-indexed column or a literal.</summary>
    private (Expression Value, bool Column) Shape(QueryBinder binder, QueryNode node, QueryBinderContext context)
    {
        switch (Unwrap((SingleValueNode)node))
        {
            // No Convert around columns: the translator needs the column's type mapping to type the literal parameter.
            case SingleValuePropertyAccessNode { Property.Name: "Location", Property.DeclaringType: IEdmEntityType { Name: "Site" } } site:
                return (Expression.Property(binder.Bind(site.Source, context), nameof(Site.LocationGeometry)), true);
            case SingleValuePropertyAccessNode
            {
                Property.Name: "Geometry", Property.DeclaringType: IEdmEntityType { Name: "Commune" },
            } commune:
                var shape = Expression.Property(binder.Bind(commune.Source, context), nameof(Commune.Shape));
                return (Expression.Property(shape, nameof(CommuneShape.Geometry)), true);
            case ConstantNode { Value: GeographyPoint point }:
                return (Parameter<Geometry>(FeedSpatial.ToPoint(point)), false);
            case ConstantNode { Value: GeographyPolygon or GeographyMultiPolygon } shapeLiteral:
                return (Parameter(FeedSpatial.ToShape((Geography)shapeLiteral.Value, limits.MaxPolygonVertices)), false);
            default:
                throw new ODataException("geo.intersects is supported between a site's Location or a commune's Geometry and a point "
                    + "or polygon literal (geography'SRID=4326;POLYGON((lon lat, ...))').");
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
