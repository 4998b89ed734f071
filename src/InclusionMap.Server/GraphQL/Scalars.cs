using System.Globalization;
using System.Text.Json;
using GraphQL;
using GraphQL.Types;
using GraphQLParser.AST;
using InclusionMap.Core.OpeningHours;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;

namespace InclusionMap.Server.GraphQL;

/// <summary>
/// <c>GeoJSON</c>: a GeoJSON geometry object (RFC 7946: [longitude, latitude], WGS84), as output and as input
/// (an object literal or a variable).
/// </summary>
public sealed class GeoJsonGraphType : ScalarGraphType
{
    public static readonly JsonSerializerOptions Json = new() { Converters = { new GeoJsonConverterFactory(new GeometryFactory(new PrecisionModel(), 4326)) } };

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
        catch (Exception e) when (e is JsonException or FormatException or ArgumentException or InvalidOperationException or NotSupportedException)
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

/// <summary>
/// <c>DateTime</c>: an ISO 8601 instant. With an offset (<c>2026-07-14T10:00:00+02:00</c>, <c>…Z</c>) it is that instant;
/// without one it is read as French legal time (Europe/Paris). Output always carries the offset.
/// </summary>
public sealed class InstantGraphType : ScalarGraphType
{
    public InstantGraphType()
    {
        Name = "DateTime";
        Description = $"An ISO 8601 date and time, in the years {MinYear} to {MaxYear}. " +
            "Without an offset it is read as Europe/Paris local time.";
    }

    public override object? Serialize(object? value) => value switch
    {
        null => null,
        DateTimeOffset d => d.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
        _ => ThrowSerializationError(value),
    };

    public override object? ParseValue(object? value) => value switch
    {
        null => null,
        DateTimeOffset d => d,
        string s => Parse(s),
        _ => ThrowValueConversionError(value),
    };

    public override object? ParseLiteral(GraphQLValue value) => value switch
    {
        GraphQLStringValue s => Parse(s.Value.ToString()),
        GraphQLNullValue => null,
        _ => ThrowLiteralConversionError(value),
    };

    /// <summary>
    /// The years an instant may fall in (as written), those the catalogue's search accepts for <c>openAt</c>
    /// (<c>SiteQuery.Validate</c>): opening hours say nothing of other centuries, and date arithmetic (the week ahead, a
    /// year of public holidays) stays far from the calendar's ends.
    /// </summary>
    public const int MinYear = 1900, MaxYear = 2200;

    public override bool CanParseLiteral(GraphQLValue value) => value is GraphQLStringValue or GraphQLNullValue;

    /// <exception cref="InvalidInputException">
    /// Not an ISO 8601 date and time, or outside <see cref="MinYear"/>..<see cref="MaxYear"/>.
    /// </exception>
    public static DateTimeOffset Parse(string text)
    {
        // The year as written: an instant near the calendar's ends may not parse at all once its offset is applied.
        if (text.Length >= 5 && text[4] == '-'
            && int.TryParse(text.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var written))
            CheckYear(written);
        var instant = ParseInstant(text) ?? throw new InvalidInputException(
            $"Not an ISO 8601 date and time (e.g. 2026-07-14T10:00:00+02:00) in the years {MinYear} to {MaxYear}.");
        CheckYear(instant.Year);
        return instant;
    }

    private static DateTimeOffset? ParseInstant(string text)
    {
        var hasOffset = text.EndsWith('Z') || text.LastIndexOfAny(['+', '-']) > 10;
        if (hasOffset)
            return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var withOffset) ? withOffset : null;
        if (!DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)) return null;
        var paris = FrenchTimeZones.Paris;
        while (paris.IsInvalidTime(local)) local = local.AddMinutes(1);
        return new DateTimeOffset(local, paris.GetUtcOffset(local));
    }

    private static void CheckYear(int year)
    {
        if (year is < MinYear or > MaxYear)
            throw new InvalidInputException($"A date and time must fall in the years {MinYear} to {MaxYear}; this one is in {year}.");
    }
}
