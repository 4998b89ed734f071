using System.Globalization;
using System.Reflection;
using InclusionMap.Core.Places;
using InclusionMap.Core.Schema;
using InclusionMap.Data.Moderation;

namespace InclusionMap.Server.Moderation;

/// <summary>
/// The values of a place's form as text, by field (GraphQL name): what a form shows (<see cref="Of"/>) or what it sent
/// (<see cref="From"/>): one text for a text or a day, the checked labels of a vocabulary, the lines of a free list, the
/// latitude and longitude of the position. <see cref="Typed"/> gives them as the registry types them, for
/// <see cref="SiteValues"/>.
/// </summary>
public sealed class FormValues
{
    /// <summary>The hidden input naming each field a form shows (a list with no box ticked sends nothing else).</summary>
    public const string ShownField = "champs";

    private readonly Dictionary<string, List<string>> _values;

    private FormValues(Dictionary<string, List<string>> values, IReadOnlyList<string> shown) => (_values, Shown) = (values, shown);

    public static FormValues Empty { get; } = new([], []);

    /// <summary>The fields the form showed.</summary>
    public IReadOnlyList<string> Shown { get; }

    public static FormValues From(IFormCollection form)
    {
        var values = form.Keys.ToDictionary(k => k, k => form[k].Select(v => v ?? "").ToList(), StringComparer.Ordinal);
        values["location"] = [Single(values, "location.latitude"), Single(values, "location.longitude")];
        return new FormValues(values, [.. form[ShownField].OfType<string>()]);
    }

    public static FormValues Of(Site site)
    {
        var values = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var field in SiteEdits.Editable)
            values[field.GraphQLName] = field.Get(site) switch
            {
                List<string> list => [.. list],
                DateOnly day => [day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)],
                NetTopologySuite.Geometries.Point p => [p.Y.ToString("R", CultureInfo.InvariantCulture), p.X.ToString("R",
                    CultureInfo.InvariantCulture)],
                null when field.Kind == SiteFieldKind.Point => ["", ""],
                var value => [value?.ToString() ?? ""],
            };
        return new FormValues(values, [.. SiteEdits.Editable.Select(f => f.GraphQLName)]);
    }

    /// <summary>One text (trimmed; empty when absent).</summary>
    public string Text(string name) => Single(_values, name).Trim();

    /// <summary>The values of a list: ticked labels, or the non-empty lines of a text area.</summary>
    public IReadOnlyList<string> List(string name) =>
        [.. (_values.GetValueOrDefault(name) ?? []).SelectMany(v => v.Split('\n')).Select(v => v.Trim()).Where(v => v.Length > 0)];

    public string Latitude => _values.GetValueOrDefault("location") is [var lat, _] ? lat.Trim() : "";
    public string Longitude => _values.GetValueOrDefault("location") is [_, var lon] ? lon.Trim() : "";

    /// <summary>Whether a field has the same value here and in <paramref name="other"/>.</summary>
    public bool SameAs(FormValues other, SiteField field) => Canonical(field) == other.Canonical(field);

    private string Canonical(SiteField field) => field.Kind switch
    {
        SiteFieldKind.TextList => string.Join('|', List(field.GraphQLName)),
        SiteFieldKind.Point => Latitude + " " + Longitude,
        _ => Text(field.GraphQLName),
    };

    /// <summary>The values of <paramref name="fields"/>, typed as the registry types them (an empty text: none).</summary>
    public Dictionary<SiteField, object?> Typed(IEnumerable<SiteField> fields) => fields.ToDictionary(f => f, object? (f) => f.Kind switch
    {
        SiteFieldKind.TextList => List(f.GraphQLName).ToList(),
        SiteFieldKind.Date => Day(Text(f.GraphQLName)),
        SiteFieldKind.Point => Latitude.Length == 0 && Longitude.Length == 0 ? null
            : SiteValues.Position(Number(Latitude), Number(Longitude)),
        _ => Text(f.GraphQLName) is { Length: > 0 } text ? text : null,
    });

    /// <summary>A day typed <c>yyyy-MM-dd</c> (what a date field sends); null otherwise.</summary>
    private static DateOnly? Day(string text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null;

    /// <summary>The official labels of a vocabulary, in the schema's order.</summary>
    public static IReadOnlyList<string> Labels(Type vocabulary) =>
        [.. vocabulary.GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => f.GetCustomAttribute<LabelAttribute>()?.Label
            ?? f.Name)];

    /// <summary>A number typed with a point or a French comma; NaN when it is not one (refused by <see cref="SiteValues"/>).</summary>
    private static double Number(string text) =>
        double.TryParse(text.Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : double.NaN;

    private static string Single(Dictionary<string, List<string>> values, string name) => values.GetValueOrDefault(name) is [var first,
        ..] ? first : "";
}
