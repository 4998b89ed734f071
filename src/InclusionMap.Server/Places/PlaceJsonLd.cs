using System.Text.Json;
using InclusionMap.Core.OpeningHours;
using InclusionMap.Core.Schema;

namespace InclusionMap.Server.Places;

/// <summary>
/// The place as schema.org structured data (JSON-LD) for search engines: a <c>GovernmentOffice</c> for public service
/// points (France Services, town halls, social services…), a <c>Library</c> for libraries, else a <c>LocalBusiness</c>.
/// Written by System.Text.Json with its default encoder, which escapes <c>&lt;</c>, <c>&gt;</c> and <c>&amp;</c>: text
/// from the data cannot close the <c>&lt;script type="application/ld+json"&gt;</c> data block it is written into.
/// </summary>
public static class PlaceJsonLd
{
    private static readonly HashSet<string> PublicOffices = new(StringComparer.Ordinal)
    {
        "RFS", "MSAP", "MUNI", "CCAS", "CIAS", "PREF", "DEPT", "CD", "CDAS", "MDS", "CAF", "CPAM", "MSA", "FT", "PE", "CFP", "EPCI", "CC",
        "REG",
    };

    private static readonly string FranceServices =
        Vocabulary<DispositifProgrammeNational>.Label(DispositifProgrammeNational.FranceServices);

    private static readonly string[] SchemaDays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

    public static string Write(PlaceView view)
    {
        var site = view.Site;
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("@context", "https://schema.org");
            json.WriteString("@type", TypeOf(site));
            json.WriteString("@id", view.CanonicalUrl);
            json.WriteString("url", view.CanonicalUrl);
            json.WriteString("name", site.Nom);
            if (site.PresentationResume is { } summary) json.WriteString("description", summary);
            json.WriteStartObject("address");
            json.WriteString("@type", "PostalAddress");
            json.WriteString("streetAddress", site.ComplementAdresse is { } more ? $"{site.Adresse}, {more}" : site.Adresse);
            json.WriteString("postalCode", site.CodePostal);
            json.WriteString("addressLocality", site.CommuneName);
            json.WriteString("addressCountry", "FR");
            json.WriteEndObject();
            if (site.Latitude is { } lat && site.Longitude is { } lon)
            {
                json.WriteStartObject("geo");
                json.WriteString("@type", "GeoCoordinates");
                json.WriteNumber("latitude", lat);
                json.WriteNumber("longitude", lon);
                json.WriteEndObject();
            }
            if (view.Phone is { } phone) json.WriteString("telephone", phone.Href["tel:".Length..]);
            if (view.Emails.FirstOrDefault() is { } email) json.WriteString("email", email.Text);
            if (view.Websites.Count > 0)
            {
                json.WriteStartArray("sameAs");
                foreach (var w in view.Websites) json.WriteStringValue(w.Href);
                json.WriteEndArray();
            }
            if (view.Free) json.WriteBoolean("isAccessibleForFree", true);
            WriteHours(json, OpeningHoursText(view));
            json.WriteString("dateModified", site.DateMaj.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static string TypeOf(Core.Places.Site site) =>
        site.DispositifProgrammesNationaux.Contains(FranceServices)
        || site.Typologie.Any(PublicOffices.Contains) ? "GovernmentOffice"
        : site.Typologie.Contains("BIB") ? "Library"
        : "LocalBusiness";

    private static OpeningHours OpeningHoursText(PlaceView view) => Data.Sites.OpeningHoursCache.Parse(view.Site.Horaires);

    /// <summary>The typical week's regular days (days open only some weeks or months are left out rather than misstated).</summary>
    private static void WriteHours(Utf8JsonWriter json, OpeningHours hours)
    {
        var days = hours.Weekly.Where(w => !w.Conditional && w.Ranges.Count > 0).ToList();
        if (days.Count == 0) return;
        json.WriteStartArray("openingHoursSpecification");
        foreach (var day in days)
            foreach (var range in day.Ranges.Where(r => r.End <= 1440))
            {
                json.WriteStartObject();
                json.WriteString("@type", "OpeningHoursSpecification");
                json.WriteString("dayOfWeek", "https://schema.org/" + SchemaDays[(int)day.Day]);
                var text = range.ToString();
                json.WriteString("opens", text[..5]);
                json.WriteString("closes", range.End == 1440 ? "23:59" : text[6..]);
                json.WriteEndObject();
            }
        json.WriteEndArray();
    }
}
