using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using InclusionMap.Core;
using InclusionMap.Core.Places;
using InclusionMap.Core.Schema;

namespace InclusionMap.Server.Places;

/// <summary>
/// Everything the page of one place shows, in French, from its site, its sources and the time. Links come only from
/// addresses that pass the same check as the browser's <c>safeHref</c>: absolute http(s) for web pages, <c>tel:</c> for a
/// phone number written in digits, <c>mailto:</c> for a plain e-mail address; anything else is shown as text, never linked.
/// </summary>
public sealed partial record PlaceView
{
    public required Site Site { get; init; }
    /// <summary>The page's own address, absolute (canonical link, JSON-LD, sharing).</summary>
    public required string CanonicalUrl { get; init; }
    /// <summary>The commune and département as the catalogue resolves them (COG 2026).</summary>
    public required string? CommuneName { get; init; }
    public required string? DepartementName { get; init; }
    public required PlaceHours Hours { get; init; }
    public required IReadOnlyList<PlaceSource> Sources { get; init; }

    private static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");

    public string Name => Site.Nom;

    public IReadOnlyList<string> Types => Site.Typologie.Select(t => Typologies.Labels.GetValueOrDefault(t, t)).ToList();

    /// <summary>« 12 rue X, 23000 Guéret ».</summary>
    public string AddressLine => $"{Site.Adresse}, {Site.CodePostal} {Site.CommuneName}";

    /// <summary>The search near this place's commune, to find others.</summary>
    public string SearchNearby => Site.CommuneCode is { } code
        ? $"/?commune={Uri.EscapeDataString(code)}&q={Uri.EscapeDataString(CommuneName ?? Site.CommuneName)}"
        : "/";

    public bool Free => Site.FraisACharge.Contains(Vocabulary<FraisACharge>.Label(FraisACharge.Gratuit));

    public PlaceLink? Phone => Site.Telephone is { } t && PhoneNumber().IsMatch(t)
        ? new PlaceLink(FormatPhone(t), "tel:" + t.Replace(" ", "", StringComparison.Ordinal))
        : null;

    /// <summary>Addresses that are not plain e-mail addresses stay text.</summary>
    public IReadOnlyList<PlaceLink> Emails =>
        Site.Courriels.Where(e => EmailAddress().IsMatch(e)).Select(e => new PlaceLink(e, "mailto:" + e)).ToList();

    public IReadOnlyList<PlaceLink> Websites =>
        Site.SiteWeb.Where(Safe).Select(w => new PlaceLink(Shorten(w), w, $" (site web de {Name})")).ToList();

    public PlaceLink? Booking =>
        Site.PriseRdv is { } b && Safe(b) ? new PlaceLink("Prendre rendez-vous en ligne", b, $" avec {Name}") : null;

    public PlaceLink? Accessibility =>
        Site.FicheAccesLibre is { } a && Safe(a) ? new PlaceLink("Fiche d'accessibilité sur acceslibre", a, $" de {Name}") : null;

    public PlaceLink? Directions => Site.Latitude is { } lat && Site.Longitude is { } lon
        ? new PlaceLink("Itinéraire", string.Create(CultureInfo.InvariantCulture,
            $"https://www.openstreetmap.org/directions?route=%3B{lat:0.######}%2C{lon:0.######}"), $" vers {Name} (OpenStreetMap)")
        : null;

    public PlaceLink? OnMap => Site.Latitude is { } lat && Site.Longitude is { } lon
        ? new PlaceLink("Voir sur OpenStreetMap", string.Create(CultureInfo.InvariantCulture,
            $"https://www.openstreetmap.org/?mlat={lat:0.######}&mlon={lon:0.######}#map=17/{lat:0.######}/{lon:0.######}"))
        : null;

    /// <summary>« 12 mars 2026 ».</summary>
    public static string Date(DateOnly date) => PlaceHours.Day(date, withWeekday: false) + date.ToString(" yyyy", French);

    public static string Date(DateTimeOffset instant) =>
        Date(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, Core.OpeningHours.FrenchTimeZones.Paris).DateTime));

    /// <summary>The page's path: <c>/lieux/{id}-{slug}</c>, the slug made of the name (lower case, no accents, dashes).</summary>
    public static string PathOf(long id, string name) => $"/lieux/{id.ToString(CultureInfo.InvariantCulture)}-{Slug(name)}";

    public static string Slug(string name)
    {
        var folded = TextSearch.Fold(name);
        var slug = new StringBuilder(folded.Length);
        foreach (var c in folded)
        {
            if (char.IsAsciiLetterOrDigit(c)) slug.Append(c);
            else if (slug.Length > 0 && slug[^1] != '-') slug.Append('-');
        }
        var text = slug.ToString().Trim('-');
        if (text.Length > 80) text = text[..80].TrimEnd('-');
        return text.Length == 0 ? "lieu" : text;
    }

    private static bool Safe(string href) => SchemaV1Validator.LinkProblem(href) is null;

    /// <summary>+33555510000 → 05 55 51 00 00 (how French readers write it); other numbers unchanged.</summary>
    public static string FormatPhone(string number)
    {
        if (!number.StartsWith("+33", StringComparison.Ordinal) || number.Length != 12) return number;
        var national = "0" + number[3..];
        return string.Join(' ', Enumerable.Range(0, 5).Select(i => national.Substring(i * 2, 2)));
    }

    /// <summary>A web address without its scheme and trailing slash, as people read it.</summary>
    private static string Shorten(string url) => ShortUrl().Replace(url, "").TrimEnd('/');

    [GeneratedRegex(@"^\+?[0-9][0-9 .]{5,19}$")]
    private static partial Regex PhoneNumber();

    [GeneratedRegex(@"^[^@\s<>""'()\[\]\\,;:]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$")]
    private static partial Regex EmailAddress();

    [GeneratedRegex(@"^https?://(www\.)?", RegexOptions.IgnoreCase)]
    private static partial Regex ShortUrl();
}
