using InclusionMap.Core.Places;
using InclusionMap.Core.Schema;
using InclusionMap.Data.Moderation;
using MimeKit;
using NetTopologySuite.Geometries;

namespace InclusionMap.Server.Moderation;

/// <summary>
/// The values people type for a place, checked as the import checks a record: the same normalisations (spacing, phone
/// numbers to <c>+33…</c>, postcodes, <c>www.</c> links), then the national schema v1.0.2's rules on the whole record
/// (<see cref="SchemaV1Validator"/>: required fields, patterns, lengths, links, coordinates) and the vocabularies of the
/// registry; plus what a person can get wrong that a file cannot: sizes, control characters, hours that do not read,
/// a closure that ends before it starts. Every refusal names its field, in French.
/// </summary>
public sealed class SiteValues(ModerationOptions options)
{
    /// <summary>
    /// Normalises the new values of <paramref name="site"/>'s fields (typed as the registry types them: text, a list of
    /// text or official labels, a day, a point) and checks the resulting record.
    /// </summary>
    /// <returns>The values that differ from the site's, in the history's text form (<see cref="SiteEdits.Text"/>).</returns>
    /// <exception cref="ModerationException">BAD_USER_INPUT, with every refused field.</exception>
    public Dictionary<SiteField, string?> Changes(Site site, IReadOnlyDictionary<SiteField, object?> values)
    {
        var errors = new List<FieldError>();
        var edited = Copy(site);
        foreach (var (field, value) in values)
        {
            var normal = Normalise(field, value, site.DepartementCode, errors);
            if (!errors.Any(e => e.Field == field.GraphQLName)) field.Set(edited, normal);
        }
        CheckClosure(edited, errors);
        // The whole record, as an import checks it (a field already refused above is not reported twice).
        CheckRecord(SiteRecord.ToRecord(edited, "edit"), values.Keys.Select(f => f.GraphQLName).ToHashSet(), errors);
        if (errors.Count > 0) throw ModerationException.Invalid(errors);
        return values.Keys
            .Where(f => SiteEdits.Text(f, f.Get(edited)) != SiteEdits.Text(f, f.Get(site)))
            .ToDictionary(f => f, f => SiteEdits.Text(f, f.Get(edited)));
    }

    /// <summary>A new place's record (a suggestion), checked whole; its fields are given as for <see cref="Changes"/>.</summary>
    /// <exception cref="ModerationException">BAD_USER_INPUT, with every refused field.</exception>
    public SchemaV1Record NewRecord(IReadOnlyDictionary<SiteField, object?> values, string? departement, DateOnly today)
    {
        var errors = new List<FieldError>();
        var site = new Site { Pivot = "00000000000000", DateMaj = today };
        foreach (var (field, value) in values)
        {
            var normal = Normalise(field, value, departement, errors);
            if (!errors.Any(e => e.Field == field.GraphQLName)) field.Set(site, normal);
        }
        var record = SiteRecord.ToRecord(site, "suggestion");
        CheckRecord(record, null, errors);
        if (errors.Count > 0) throw ModerationException.Invalid(errors);
        return record;
    }

    /// <summary>Checks a free text (a message, an answer): its length, and no control character but line breaks.</summary>
    public string? Message(string? text, string field, string label, List<FieldError> errors)
    {
        var value = text?.Replace("\r\n", "\n", StringComparison.Ordinal).Trim();
        if (string.IsNullOrEmpty(value)) return null;
        if (value.Length > options.MaxMessageLength)
            errors.Add(new(field, $"{label} : {options.MaxMessageLength} caractères au plus ({value.Length} reçus)."));
        else if (value.Any(c => char.IsControl(c) && c is not ('\n' or '\t')))
            errors.Add(new(field, $"{label} : caractères de contrôle refusés."));
        return value;
    }

    /// <summary>An optional address to answer to: null when empty; refused when it is not one address.</summary>
    public static string? Email(string? text, string field, List<FieldError> errors)
    {
        var value = text?.Trim();
        if (string.IsNullOrEmpty(value)) return null;
        if (!IsEmail(value)) errors.Add(new(field, $"« {Cut(value)} » n'est pas une adresse électronique."));
        return value;
    }

    public static bool IsEmail(string value) =>
        value.Length <= Accounts.AccountDirectory.MaxEmailLength && value.Contains('@') && MailboxAddress.TryParse(value, out var box)
        && box.Address == value && !value.Any(char.IsWhiteSpace);

    private object? Normalise(SiteField field, object? value, string? departement, List<FieldError> errors)
    {
        var label = EditableFields.Label(field.GraphQLName);
        void Refuse(string why) => errors.Add(new(field.GraphQLName, $"{label} : {why}"));
        switch (field.Kind)
        {
            case SiteFieldKind.Text:
                return NormaliseText(field, value as string, departement, Refuse);
            case SiteFieldKind.TextList:
                var list = ((IEnumerable<string>?)value
                    ?? []).Select(v => v.Trim()).Where(v => v.Length > 0).Distinct(StringComparer.Ordinal).ToList();
                if (list.Count > options.MaxListValues) Refuse($"{options.MaxListValues} valeurs au plus.");
                foreach (var item in list)
                {
                    if (item.Length > options.MaxFieldLength || item.Contains('|') || item.Any(char.IsControl))
                        Refuse($"« {Cut(item)} » est trop long ou contient « | » ou un caractère de contrôle.");
                    else if (field.Vocabulary is { } vocabulary && !VocabularyLabels.ValuesByLabel(vocabulary).ContainsKey(item))
                        Refuse($"« {Cut(item)} » n'est pas une valeur du schéma national.");
                    else if (field.Name == nameof(Site.Courriels)
                        && !IsEmail(item)) Refuse($"« {Cut(item)} » n'est pas une adresse électronique.");
                }
                if (field.Name == nameof(Site.SiteWeb))
                {
                    list = list.Select(Normalize.Link).ToList();
                    if (list.Select(SchemaV1Validator.LinkProblem).FirstOrDefault(p => p is not null) is not null)
                        Refuse("chaque adresse doit commencer par https:// ou http://, sans espace.");
                }
                return list;
            case SiteFieldKind.Date:
                return value is DateOnly day ? day : null;
            case SiteFieldKind.Point:
                if (value is not Point point) return null;
                if (point.Y is < -90 or > 90 || point.X is < -180 or > 180 || (point.X == 0 && point.Y == 0)
                    || double.IsNaN(point.X + point.Y))
                    Refuse("latitude entre -90 et 90, longitude entre -180 et 180, et pas (0, 0).");
                return point;
            default:
                Refuse("ce champ ne se modifie pas.");
                return null;
        }
    }

    private string? NormaliseText(SiteField field, string? text, string? departement, Action<string> refuse)
    {
        if (field.Name == nameof(Site.PresentationDetail))
        {
            var detail = text?.Replace("\r\n", "\n", StringComparison.Ordinal).Trim();
            if (string.IsNullOrEmpty(detail)) return null;
            if (detail.Length > options.MaxPresentationLength) refuse($"{options.MaxPresentationLength} caractères au plus.");
            else if (detail.Any(c => char.IsControl(c) && c != '\n')) refuse("caractères de contrôle refusés.");
            return detail;
        }
        if (text is not null && text.Any(c => char.IsControl(c) && !char.IsWhiteSpace(c)))
        {
            refuse("caractères de contrôle refusés.");
            return null;
        }
        var value = Normalize.Text(text);
        if (value is null) return null;
        if (value.Length > options.MaxFieldLength)
        {
            refuse($"{options.MaxFieldLength} caractères au plus.");
            return null;
        }
        switch (field.Name)
        {
            case nameof(Site.Telephone):
                value = Normalize.Phone(value, departement, out var dropped);
                if (dropped is not null) refuse("un seul numéro.");
                return value;
            case nameof(Site.CodePostal): return Normalize.PostalCode(value);
            case nameof(Site.CodeInsee): return Normalize.InseeCode(value);
            case nameof(Site.FicheAccesLibre) or nameof(Site.PriseRdv):
                value = Normalize.Link(value);
                if (SchemaV1Validator.LinkProblem(value) is not null)
                    refuse("une adresse web commençant par https:// ou http://, sans espace.");
                return value;
            case nameof(Site.Horaires):
                if (Core.OpeningHours.OpeningHours.Parse(value).Error is { } problem)
                    refuse($"ces horaires ne se lisent pas ({problem}). Écrivez-les comme OpenStreetMap, par exemple "
                        + "« Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00 ».");
                return value;
            default:
                return value;
        }
    }

    private static void CheckClosure(Site site, List<FieldError> errors)
    {
        if (site.TemporarilyClosedUntil is { } until && site.TemporarilyClosedFrom is not { } from)
            errors.Add(new("temporarilyClosedFrom", "Fermeture temporaire : indiquez aussi le premier jour de fermeture."));
        else if (site.TemporarilyClosedUntil < site.TemporarilyClosedFrom)
            errors.Add(new("temporarilyClosedUntil", "Fermeture temporaire : le dernier jour vient après le premier."));
    }

    /// <summary>The schema's rules on the whole record; only the fields in <paramref name="changed"/> (null: all) are reported.</summary>
    private static void CheckRecord(SchemaV1Record record, IReadOnlySet<string>? changed, List<FieldError> errors)
    {
        foreach (var issue in SchemaV1Validator.Validate(record))
        {
            var name = issue.Field is "latitude" or "longitude" ? "location"
                : SiteFields.BySchemaName.TryGetValue(issue.Field, out var f) ? f.GraphQLName : issue.Field;
            if (changed is not null && !changed.Contains(name)) continue;
            if (errors.Any(e => e.Field == name)) continue;
            errors.Add(new(name, $"{EditableFields.Label(name)} : {French(issue)}"));
        }
    }

    private static string French(FieldIssue issue) => issue.Reason switch
    {
        "required field is missing" => "obligatoire.",
        var r when r.StartsWith("does not match",
            StringComparison.Ordinal) => $"« {Cut(issue.Value)} » n'a pas le format attendu par le schéma national.",
        var r when r.StartsWith("longer than",
            StringComparison.Ordinal) => "trop long pour le schéma national (" + r["longer than ".Length..] + ").",
        var r => r + ".",
    };

    private static string Cut(string? text) => text is null ? "" : text.Length > 60 ? text[..60] + "…" : text;

    private static Site Copy(Site site)
    {
        var copy = new Site();
        foreach (var field in SiteFields.All) field.Set(copy,
            field.Get(site) is List<string> list ? new List<string>(list) : field.Get(site));
        return copy;
    }

    /// <summary>A point from a latitude and a longitude.</summary>
    public static Point Position(double latitude, double longitude) => SiteRecord.Wgs84.CreatePoint(new Coordinate(longitude, latitude));

    /// <summary>Today in France.</summary>
    public static DateOnly Today(TimeProvider clock) => SiteEdits.Day(clock.GetUtcNow());

}
