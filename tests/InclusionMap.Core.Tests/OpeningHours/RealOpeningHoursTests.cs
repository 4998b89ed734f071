using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using InclusionMap.Core.OpeningHours;
using Hours = InclusionMap.Core.OpeningHours.OpeningHours;

namespace InclusionMap.Core.Tests.OpeningHours;

/// <summary>The values producers really write, and a cross-check against opening_hours.js, the OSM reference implementation.</summary>
public sealed class RealOpeningHoursTests
{
    private static string Data => OpenDataDirectory.Resolve();

    /// <summary>Every distinct horaires value of the real v0.1 files.</summary>
    private static List<string> RealValues() =>
        Directory.GetFiles(Path.Combine(Data, "lieux"), "*_v0.1.json")
            .SelectMany(f => JsonDocument.Parse(File.ReadAllText(f)).RootElement.EnumerateArray())
            .Select(e => e.TryGetProperty("horaires", out var h) ? h.GetString() : null)
            .Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!).Distinct().Order(StringComparer.Ordinal).ToList();

    /// <summary>The France Services weekday columns of every row, converted.</summary>
    private static List<(string Line, Dictionary<DayOfWeek, string?> Days, string? Osm)> FranceServices()
    {
        using var reader = new StreamReader(Path.Combine(Data, "lieux", "2024-08-01_france-services_liste-fs.csv"));
        var rows = Csv.Read(reader).ToList();
        var header = rows[0].Fields.ToList();
        int Col(string name) => header.IndexOf(name);
        var days = new[] { ("h_lundi", DayOfWeek.Monday), ("h_mardi", DayOfWeek.Tuesday), ("h_mercredi", DayOfWeek.Wednesday),
            ("h_jeudi", DayOfWeek.Thursday), ("h_vendredi", DayOfWeek.Friday), ("h_samedi", DayOfWeek.Saturday) };
        return rows.Skip(1).Select(r =>
        {
            var perDay = days.ToDictionary(d => d.Item2, d => (string?)r.Fields[Col(d.Item1)]);
            return (r.Fields[0], perDay, FranceServicesHours.ToOpeningHours(perDay));
        }).ToList();
    }

    [Fact]
    public void Every_real_value_parses_except_the_malformed_ones_each_with_a_reason()
    {
        var values = RealValues();
        Assert.Equal(456, values.Count);
        var unknown = values.Select(Hours.Parse).Where(h => !h.IsKnown).ToList();
        // 14 values are not OSM syntax (e.g. "Sa 17:00", "9-12:15-13:30"): opening_hours.js refuses 11 of them and
        // "auto-corrects" the other 3 (see the cross-check below).
        Assert.Equal(14, unknown.Count);
        Assert.All(unknown, h => Assert.False(string.IsNullOrEmpty(h.Error)));
    }

    [Fact]
    public void Every_france_services_row_converts_and_reads_back_the_same_ranges()
    {
        var rows = FranceServices();
        Assert.Equal(2845, rows.Count);
        foreach (var (line, days, osm) in rows.Where(r => r.Osm is not null))
        {
            var hours = Hours.Parse(osm);
            Assert.True(hours.IsKnown, $"{line}: {osm}: {hours.Error}");
            foreach (var weekly in hours.Weekly.Where(w => w.Day != DayOfWeek.Sunday))
            {
                var expected = string.Join(",", (days[weekly.Day] ?? "")
                    .Split('/', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Select(r => r.Replace(" ", "", StringComparison.Ordinal))
                    .Where(r => r != "00:00-00:00")
                    .Distinct()
                    .Order(StringComparer.Ordinal)
                    .Aggregate(new List<string>(), (merged, r) => { Merge(merged, r); return merged; }));
                Assert.Equal(expected, string.Join(",", weekly.Ranges));
            }
        }
        Assert.True(rows.Count(r => r.Osm is null) < 100, "only rows without any hours give no value");
    }

    /// <summary>Merges an "HH:MM-HH:MM" range into sorted ranges, as the parser normalises overlaps.</summary>
    private static void Merge(List<string> merged, string range)
    {
        if (merged.Count > 0 && string.CompareOrdinal(range[..5], merged[^1][6..]) <= 0)
        {
            var end = string.CompareOrdinal(range[6..], merged[^1][6..]) > 0 ? range[6..] : merged[^1][6..];
            merged[^1] = merged[^1][..6] + end;
        }
        else merged.Add(range);
    }

    [Fact]
    public void Hours_per_week_of_every_real_weekly_value_is_the_sum_of_its_typical_week()
    {
        // Values that only name weekdays repeat every week, so the year's average (computed from one week) must equal the
        // weekly view, which is evaluated independently; values with holidays, weeks or months keep the whole-year walk.
        var values = RealValues().Concat(FranceServices().Select(r => r.Osm).OfType<string>()).Distinct()
            .Select(Hours.Parse).Where(h => h.IsKnown).ToList();
        const string NotWeekly = @"PH|week|\[|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec";
        var weekly = values.Where(h => !System.Text.RegularExpressions.Regex.IsMatch(h.Text!, NotWeekly)).ToList();
        Assert.True(weekly.Count > 1000, $"{weekly.Count} weekly values");
        foreach (var hours in weekly)
            Assert.Equal(hours.Weekly.Sum(d => d.Ranges.Sum(r => r.End - r.Start)) / 60.0, hours.HoursPerWeek!.Value, 9);
    }

    [Fact]
    public void France_services_hours_group_consecutive_days()
    {
        var osm = FranceServicesHours.ToOpeningHours(new Dictionary<DayOfWeek, string?>
        {
            [DayOfWeek.Monday] = "13:30 - 17:00",
            [DayOfWeek.Tuesday] = "09:00 - 12:00 / 13:30 - 17:00",
            [DayOfWeek.Wednesday] = "09:00 - 12:00 / 13:30 - 17:00",
            [DayOfWeek.Thursday] = "09:00 - 12:00 / 13:30 - 17:00",
            [DayOfWeek.Friday] = "09:00 - 12:00 / 13:30 - 16:00",
            [DayOfWeek.Saturday] = "",
        });
        Assert.Equal("Mo 13:30-17:00; Tu-Th 09:00-12:00,13:30-17:00; Fr 09:00-12:00,13:30-16:00", osm);
        Assert.Throws<FormatException>(() =>
            FranceServicesHours.ToOpeningHours(new Dictionary<DayOfWeek, string?> { [DayOfWeek.Monday] = "le matin" }));
    }

    /// <summary>
    /// Instants over a year in Paris time: each weekday at several hours, holidays, both DST changes, odd and even ISO weeks.
    /// </summary>
    private static List<DateTimeOffset> Instants()
    {
        var list = new List<DateTimeOffset>();
        var hours = new[] { 0, 8, 9, 10, 12, 13, 15, 17, 19, 23 };
        var days = new List<DateTime>();
        for (var d = new DateTime(2026, 3, 2); d < new DateTime(2026, 3, 16); d = d.AddDays(1)) days.Add(d); // two weeks: odd and even
        days.AddRange([new(2026, 1, 1), new(2026, 4, 6), new(2026, 5, 1), new(2026, 5, 14), new(2026, 7, 14), new(2026, 11, 11),
            new(2026, 12, 25), new(2026, 3, 29), new(2026, 10, 25), new(2026, 8, 20)]);
        foreach (var day in days)
            foreach (var h in hours)
            {
                var local = day.AddHours(h).AddMinutes(h % 2 == 0 ? 15 : 45);
                if (FrenchTimeZones.Paris.IsInvalidTime(local)) continue;
                list.Add(new DateTimeOffset(local, FrenchTimeZones.Paris.GetUtcOffset(local)));
            }
        return list;
    }

    [Fact]
    public void Our_evaluation_agrees_with_opening_hours_js_on_every_real_value_at_every_instant()
    {
        var reference = Path.Combine(FindRepository(), "tests", "opening-hours-reference");
        Assert.True(Directory.Exists(Path.Combine(reference, "node_modules", "opening_hours")),
            $"opening_hours.js is not installed: run  npm ci --prefix {reference}  (test.sh does it)");
        var values = RealValues().Concat(FranceServices().Select(r => r.Osm).OfType<string>()).Distinct().ToList();
        var instants = Instants();

        var start = new ProcessStartInfo("node", [Path.Combine(reference, "evaluate.mjs")])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            WorkingDirectory = reference,
            Environment = { ["TZ"] = "Europe/Paris" },
        };
        using var node = Process.Start(start)!;
        node.StandardInput.Write(JsonSerializer.Serialize(
            new { values, instants = instants.Select(i => i.ToString("o", CultureInfo.InvariantCulture)) }));
        node.StandardInput.Close();
        var output = node.StandardOutput.ReadToEnd();
        node.WaitForExit();
        Assert.Equal(0, node.ExitCode);

        var compared = 0;
        var disagreements = new List<string>();
        foreach (var result in JsonDocument.Parse(output).RootElement.EnumerateArray())
        {
            var value = result.GetProperty("value").GetString()!;
            var ours = Hours.Parse(value);
            var theirsKnown = !result.TryGetProperty("error", out _);
            if (ours.IsKnown != theirsKnown)
            {
                disagreements.Add($"{value}: ours {(ours.IsKnown ? "known" : ours.Error)}, " +
                                  $"reference {(theirsKnown ? "known" : result.GetProperty("error").GetString())}");
                continue;
            }
            if (!theirsKnown) continue;
            var open = result.GetProperty("open").EnumerateArray().Select(e => e.GetBoolean()).ToList();
            for (var i = 0; i < instants.Count; i++)
            {
                compared++;
                if (ours.IsOpenAt(instants[i]) != open[i])
                    disagreements.Add($"{value} at {instants[i]:o}: ours {ours.IsOpenAt(instants[i])}, reference {open[i]}");
            }
        }
        Assert.True(compared > 50_000, $"only {compared} comparisons");
        // The only disagreements: three malformed values that opening_hours.js "auto-corrects" by reading "9-12,14-17"
        // after a ';' as a rule for EVERY day, which overrides the producer's other days. We refuse to guess.
        Assert.Equal(
        [
            "Tu-Fr 09:00-12:00,14:00-17:00; Mo 14-17;9-12,14-17",
            "We-Sa 10:00-12:00,13:30-18:30; Tu 13:30-18:30;10-12,13:30-18:30",
            "We-Sa 10:00-13:00,14:00-19:00; Mo 15-19;10-13,14-21; Tu 10:00-13:00,14:00-21:00",
        ], disagreements.Select(d => d[..d.IndexOf(": ours ", StringComparison.Ordinal)]).Order(StringComparer.Ordinal));
        Assert.All(disagreements, d => Assert.EndsWith("reference known", d));
    }

    private static string FindRepository()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "InclusionMap.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("repository root not found");
    }
}
