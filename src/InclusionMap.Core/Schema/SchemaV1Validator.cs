using System.Globalization;

namespace InclusionMap.Core.Schema;

/// <summary>Validates a record against schema v1.0.2: required fields, patterns, maxLength, dates, numbers, coordinates.</summary>
public static class SchemaV1Validator
{
    public static List<FieldIssue> Validate(SchemaV1Record record)
    {
        var issues = new List<FieldIssue>();
        foreach (var field in SchemaV1.Fields)
        {
            var value = record[field.Name];
            if (value is null)
            {
                if (field.Required) issues.Add(new(field.Name, null, "required field is missing"));
                continue;
            }
            if (!field.Matches(value)) issues.Add(new(field.Name, value, $"does not match the schema pattern {field.Pattern}"));
            if (field.MaxLength is { } max && value.Length > max)
                issues.Add(new(field.Name, value, $"longer than {max} characters ({value.Length})"));
            switch (field.Kind)
            {
                case SchemaFieldKind.Date
                    when !DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _):
                    issues.Add(new(field.Name, value, "not an ISO date (YYYY-MM-DD)"));
                    break;
                case SchemaFieldKind.Number when !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _):
                    issues.Add(new(field.Name, value, "not a number"));
                    break;
                case SchemaFieldKind.Link or SchemaFieldKind.Links:
                    var links = field.Kind == SchemaFieldKind.Links ? value.Split(SchemaV1.Separator) : [value];
                    if (links.Select(LinkProblem).FirstOrDefault(p => p is not null) is { } problem)
                        issues.Add(new(field.Name, value, problem));
                    break;
            }
        }
        CheckCoordinates(record, issues);
        return issues;
    }

    /// <summary>
    /// Why <paramref name="value"/> may not be a link people open from our pages, or null when it may: only an absolute
    /// <c>http://</c> or <c>https://</c> URL with a host passes. Any other scheme (<c>javascript:</c>, <c>data:</c>,
    /// <c>vbscript:</c>…), a relative or malformed address, or one with spaces, control or invisible formatting characters
    /// (which browsers strip or reinterpret) is refused.
    /// </summary>
    public static string? LinkProblem(string value)
    {
        if (value.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || char.GetUnicodeCategory(c) == UnicodeCategory.Format))
            return "a link may not contain spaces, control or invisible characters";
        if (!value.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
            && !value.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            return "a link must be an absolute http:// or https:// address";
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
            return "not a well-formed web address";
        return null;
    }

    private static void CheckCoordinates(SchemaV1Record record, List<FieldIssue> issues)
    {
        var lat = record.GetNumber("latitude");
        var lon = record.GetNumber("longitude");
        if (lat is { } la && la is < -90 or > 90) issues.Add(new("latitude", record["latitude"], "outside [-90, 90]"));
        if (lon is { } lo && lo is < -180 or > 180) issues.Add(new("longitude", record["longitude"], "outside [-180, 180]"));
        if ((lat is null) != (lon is null) && issues.All(i => i.Field is not ("latitude" or "longitude")))
            issues.Add(new(lat is null ? "latitude" : "longitude", null, "latitude and longitude must be given together"));
        if (lat == 0 && lon == 0) issues.Add(new("latitude", "0", "coordinates (0, 0) are a placeholder, not a place"));
    }
}
