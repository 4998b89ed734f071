using System.Globalization;
using System.Text.Json;
using GraphQL;
using GraphQL.Types;
using GraphQLParser.AST;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;

namespace InclusionMap.Server.GraphQL;

/// <summary>
/// <c>GeoJSON</c>: a GeoJSON geometry object (RFC 7946: [longitude, latitude], WGS84), as output and as input
/// (an object literal or a variable).
/// </summary>
public sealed class GeoJsonGraphType : ScalarGraphType
{
    public static readonly JsonSerializerOptions Json = new()
    {
        Converters = { new GeoJsonConverterFactory(new GeometryFactory(new PrecisionModel(), 4326)) },
    };

    public GeoJsonGraphType()
    {
        Name = "GeoJSON";
        Description = "A GeoJSON geometry (RFC 7946): coordinates are [longitude, latitude] in WGS84.";
        this.ApplyDirective(SpecifiedByDirective.DirectiveName, SpecifiedByDirective.Url, "https://www.rfc-editor.org/rfc/rfc7946");
    }

    public override object? Serialize(object? value) => value switch
    {
        null => null,
        Geometry g => JsonSerializer.SerializeToElement(g, Json),
        _ => ThrowSerializationError(value),
    };

    public override object? ParseValue(object? value) => value switch
    {
        null => null,
        Geometry g => g,
        _ => Read(value),
    };

    public override object? ParseLiteral(GraphQLValue value) => value switch
    {
        GraphQLNullValue => null,
        GraphQLObjectValue o => Read(ToObject(o)),
        _ => ThrowLiteralConversionError(value, "a GeoJSON geometry must be an object"),
    };

    public override bool CanParseLiteral(GraphQLValue value) => value is GraphQLObjectValue or GraphQLNullValue;

    public override bool CanParseValue(object? value) => value is null or IDictionary<string, object?> or Geometry;

    /// <summary>The geometry of a GeoJSON object; the reason given for one that is not never quotes the JSON reader's message.</summary>
    private static Geometry Read(object? value)
    {
        if (!FiniteNumbers(value, depth: 0)) throw new InvalidInputException("GeoJSON coordinates must be finite numbers.");
        try
        {
            return JsonSerializer.Deserialize<Geometry>(JsonSerializer.Serialize(value), Json)
                ?? throw new InvalidInputException(NotGeoJson);
        }
        catch (Exception e) when (e is JsonException or FormatException or ArgumentException or InvalidOperationException
                                   or NotSupportedException)
        {
            throw new InvalidInputException(NotGeoJson);
        }
    }

    private const string NotGeoJson =
        "Not a GeoJSON geometry (RFC 7946): an object with a \"type\" and \"coordinates\" of [longitude, latitude] numbers.";

    private static bool FiniteNumbers(object? value, int depth) => depth < 64 && value switch
    {
        double d => double.IsFinite(d),
        float f => float.IsFinite(f),
        string => true,
        IDictionary<string, object?> fields => fields.Values.All(v => FiniteNumbers(v, depth + 1)),
        System.Collections.IEnumerable items => items.Cast<object?>().All(v => FiniteNumbers(v, depth + 1)),
        _ => true,
    };

    private static object? ToObject(GraphQLValue value) => value switch
    {
        GraphQLObjectValue o => (o.Fields ?? []).ToDictionary(f => f.Name.StringValue, f => ToObject(f.Value)),
        GraphQLListValue l => (l.Values ?? []).Select(ToObject).ToList(),
        GraphQLIntValue i => double.Parse(i.Value.Span, CultureInfo.InvariantCulture),
        GraphQLFloatValue f => double.Parse(f.Value.Span, CultureInfo.InvariantCulture),
        GraphQLStringValue s => s.Value.ToString(),
        GraphQLBooleanValue b => b.BoolValue,
        GraphQLNullValue => null,
        _ => throw new InvalidInputException(NotGeoJson),
    };
}
