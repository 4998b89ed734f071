using System.Text.RegularExpressions;

namespace InclusionMap.Core.OpeningHours;

/// <summary>Turns the France Services per-weekday hours ("09:00 - 12:00 / 13:30 - 17:00") into OSM opening_hours text.</summary>
public static partial class FranceServicesHours
{
    private static readonly (DayOfWeek Day, string Osm)[] Week =
    [
        (DayOfWeek.Monday, "Mo"), (DayOfWeek.Tuesday, "Tu"), (DayOfWeek.Wednesday, "We"), (DayOfWeek.Thursday, "Th"),
        (DayOfWeek.Friday, "Fr"), (DayOfWeek.Saturday, "Sa"), (DayOfWeek.Sunday, "Su"),
    ];

    /// <summary>Consecutive days with the same ranges are grouped (<c>Mo-Fr 09:00-12:00</c>). Null when every day is empty.</summary>
    /// <exception cref="FormatException">A day's text is not a list of "HH:MM - HH:MM" ranges.</exception>
    public static string? ToOpeningHours(IReadOnlyDictionary<DayOfWeek, string?> perDay)
    {
        var ranges = Week.Select(d => (d.Osm, Ranges: Parse(d.Day, perDay.GetValueOrDefault(d.Day)))).ToList();
        var rules = new List<string>();
        for (var i = 0; i < ranges.Count; i++)
        {
            if (ranges[i].Ranges is null) continue;
            var j = i;
            while (j + 1 < ranges.Count && ranges[j + 1].Ranges == ranges[i].Ranges) j++;
            rules.Add((j > i ? $"{ranges[i].Osm}-{ranges[j].Osm}" : ranges[i].Osm) + " " + ranges[i].Ranges);
            i = j;
        }
        return rules.Count == 0 ? null : string.Join("; ", rules);
    }

    private static string? Parse(DayOfWeek day, string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var parts = text.Split('/', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var osm = new List<string>();
        foreach (var part in parts)
        {
            var m = Range().Match(part);
            if (!m.Success) throw new FormatException($"{day}: '{text}' is not a list of 'HH:MM - HH:MM' ranges.");
            // The list pads empty slots with "00:00 - 00:00": a range of no time, not 24 hours (which OSM would read).
            if (m.Groups[1].Value == m.Groups[2].Value) continue;
            osm.Add($"{m.Groups[1].Value}-{m.Groups[2].Value}");
        }
        return osm.Count == 0 ? null : string.Join(',', osm);
    }

    [GeneratedRegex(@"^(\d{2}:\d{2})\s*-\s*(\d{2}:\d{2})$")]
    private static partial Regex Range();
}
