using System.Globalization;
using System.Text;
using InclusionMap.Data.Analysis;

namespace InclusionMap.Server.Coverage;

/// <summary>The analysis written as a readable table, CSV or GeoJSON (the CLI and the coordinators' export buttons).</summary>
public static class CoverageReports
{
    private static readonly CultureInfo Fr = CultureInfo.GetCultureInfo("fr-FR");

    public static string Table(CoverageResult r)
    {
        var s = r.Summary;
        var b = new StringBuilder();
        var scope = r.Request.DepartementCode is { } d ? "département " + d : s.Communes + " communes";
        b.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"Coverage of {scope}: threshold {r.Request.ThresholdMeters / 1000:0.#} km"));
        b.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"  communes {s.Communes}, population {s.Population:0}, people in need (est.) {s.PeopleInNeed:0}"));
        b.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"  beyond {r.Request.ThresholdMeters / 1000:0.#} km: {s.PeopleInNeedBeyond:0} people in need ({s.ShareBeyond:P1})"));
        b.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"  sites {s.Sites}, {s.SitesPer10000InNeed:0.0} per 10,000 people in need, "
            + $"median distance {s.MedianDistanceMeters / 1000:0.0} km"));
        b.AppendLine();
        b.AppendLine("Ranked gaps (people in need beyond the threshold):");
        b.AppendLine("  code   commune                          in need  nearest km  accessibility");
        foreach (var c in r.Gaps.Take(20))
            b.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"  {c.Code,-6} {Trim(c.Nom, 32),-32} {c.PeopleInNeed,7:0}  "
                + $"{(c.NearestDistanceMeters ?? double.NaN) / 1000,10:0.0}  {c.Accessibility,13:0.0}"));
        b.AppendLine();
        b.AppendLine(string.Create(CultureInfo.InvariantCulture, $"Suggested new sites (covered before: {s.CoveredBefore:0}):"));
        foreach (var p in r.Suggestions)
            b.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"  {p.Rank}. {p.CommuneName} ({p.CommuneCode}): +{p.NewlyCovered:0} people in need, {p.CoveredAfter:0} covered after"));
        return b.ToString();
    }

    /// <summary>The columns of <see cref="Csv"/>, in order.</summary>
    public static readonly string[] CsvColumns =
    [
        "code_insee", "commune", "population", "personnes_en_difficulte", "taux_illectronisme", "site_le_plus_proche", "distance_m",
        "au_dela_du_seuil", "accessibilite_e2sfca",
    ];

    /// <summary>
    /// Every commune of the analysis, one row each (RFC 4180, CRLF), numbers in invariant culture. A file for people,
    /// opened in Excel or LibreOffice: commune and site names are data from others, so cells that would start a formula
    /// are neutralised (<see cref="Core.Csv.ForPeople"/>); numbers stay numbers, a negative one included.
    /// </summary>
    public static string Csv(CoverageResult r)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = Core.Csv.ForPeople(text))
        {
            csv.WriteHeader(CsvColumns);
            foreach (var c in r.Communes)
            {
                csv.WriteField(c.Code);
                csv.WriteField(c.Nom);
                csv.WriteField(c.Population);
                csv.WriteField(c.PeopleInNeed, "0.0");
                csv.WriteField(c.IllectronismRate, "0.0000");
                csv.WriteField(c.NearestSiteName);
                csv.WriteField(c.NearestDistanceMeters, "0");
                csv.WriteField(c.Beyond ? "oui" : "non");
                csv.WriteField(c.Accessibility, "0.00");
                csv.EndRecord();
            }
        }
        return text.ToString();
    }

    public static string GeoJson(CoverageResult r)
    {
        using var stream = new MemoryStream();
        using (var json = new System.Text.Json.Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("type", "FeatureCollection");
            json.WriteStartArray("features");
            foreach (var c in r.Communes)
            {
                json.WriteStartObject();
                json.WriteString("type", "Feature");
                json.WriteStartObject("geometry");
                json.WriteString("type", "Point");
                json.WriteStartArray("coordinates");
                json.WriteNumberValue(Math.Round(c.Centre!.X, 6));
                json.WriteNumberValue(Math.Round(c.Centre.Y, 6));
                json.WriteEndArray();
                json.WriteEndObject();
                json.WriteStartObject("properties");
                json.WriteString("code_insee", c.Code);
                json.WriteString("commune", c.Nom);
                json.WriteNumber("population", c.Population);
                json.WriteNumber("personnes_en_difficulte", Math.Round(c.PeopleInNeed, 1));
                if (c.IllectronismRate is { } rate) json.WriteNumber("taux_illectronisme", Math.Round(rate, 4));
                if (c.NearestDistanceMeters is { } d) json.WriteNumber("distance_m", Math.Round(d));
                json.WriteBoolean("au_dela_du_seuil", c.Beyond);
                json.WriteNumber("accessibilite_e2sfca", Math.Round(c.Accessibility, 2));
                json.WriteEndObject();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static string Trim(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
