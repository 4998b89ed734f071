using System.Globalization;
using GraphQL.Types;
using GraphQLParser.AST;
using InclusionMap.Core.OpeningHours;

namespace InclusionMap.Server.GraphQL;

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
