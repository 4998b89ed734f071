using System.Globalization;

namespace InclusionMap.Core.OpeningHours;

/// <summary>
/// A parsed OSM <c>opening_hours</c> value (the national schema's <c>horaires</c>), evaluated in local time.
/// Parsing never throws: a value outside the supported syntax keeps its text, is <see cref="IsKnown"/> = false with the
/// reason in <see cref="Error"/>, and every question about it answers "unknown" (null) rather than a guess.
/// Rules apply in order; a later rule that selects a day replaces what earlier rules said of that day, except additional
/// rules (after a comma), which add to it (the OSM specification's semantics).
/// </summary>
public sealed class OpeningHours
{
    private readonly List<Rule> _rules;

    private OpeningHours(string? text, List<Rule> rules, string? error)
    {
        Text = text;
        _rules = rules;
        Error = error;
    }

    /// <summary>The value as given.</summary>
    public string? Text { get; }

    /// <summary>True when the value parsed; false when empty or unsupported (see <see cref="Error"/>).</summary>
    public bool IsKnown => Text is not null && Error is null;

    /// <summary>Why the value is unknown; null when known or when there is no value.</summary>
    public string? Error { get; }

    /// <summary>
    /// Whether a rule speaks of public holidays (<c>PH</c>). When none does, the hours say nothing of them: a holiday then
    /// follows its weekday's rule in the OSM semantics, which the place page does not present as a fact.
    /// </summary>
    public bool NamesPublicHolidays => _rules.Any(r => r.PublicHolidays);

    public static OpeningHours Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return new OpeningHours(null, [], null);
        try
        {
            return new OpeningHours(text, OpeningHoursParser.Parse(text), null);
        }
        catch (FormatException e)
        {
            return new OpeningHours(text, [], e.Message);
        }
    }

    /// <summary>
    /// Whether the place is open at <paramref name="instant"/>, in the place's time zone (Europe/Paris by default);
    /// public holidays follow <paramref name="departementCode"/> (Alsace-Moselle, overseas). Null when unknown.
    /// </summary>
    public bool? IsOpenAt(DateTimeOffset instant, TimeZoneInfo? zone = null, string? departementCode = null)
    {
        if (!IsKnown) return null;
        var local = TimeZoneInfo.ConvertTime(instant, zone ?? FrenchTimeZones.Paris).DateTime;
        var day = DateOnly.FromDateTime(local);
        var minute = local.Hour * 60 + local.Minute;
        if (Ranges(day, departementCode).Any(r => r.Start <= minute && minute < r.End)) return true;
        // A range of the previous day running past midnight.
        return Ranges(day.AddDays(-1), departementCode).Any(r => r.End > 1440 && r.Start <= minute + 1440 && minute + 1440 < r.End);
    }

    /// <summary>
    /// The next instant the place is open at or after <paramref name="after"/>: <paramref name="after"/> itself when it is
    /// open then, else the start of the next opening range, searched over 400 days. Null when unknown or never open.
    /// </summary>
    public DateTimeOffset? NextOpening(DateTimeOffset after, TimeZoneInfo? zone = null, string? departementCode = null)
    {
        if (!IsKnown) return null;
        zone ??= FrenchTimeZones.Paris;
        if (IsOpenAt(after, zone, departementCode) == true) return after;
        var local = TimeZoneInfo.ConvertTime(after, zone).DateTime;
        var today = DateOnly.FromDateTime(local);
        for (var offset = 0; offset <= 400; offset++)
        {
            var day = today.AddDays(offset);
            foreach (var range in Ranges(day, departementCode).OrderBy(r => r.Start))
            {
                var start = day.ToDateTime(TimeOnly.MinValue).AddMinutes(range.Start);
                if (start <= local) continue;
                // Spring forward: 02:30 does not exist; the place opens at 03:00.
                while (zone.IsInvalidTime(start)) start = start.AddMinutes(1);
                return new DateTimeOffset(start, zone.GetUtcOffset(start));
            }
        }
        return null;
    }

    /// <summary>
    /// The opening ranges of one date in local time (the place's page shows this week's days and the closures ahead):
    /// public holidays of <paramref name="departementCode"/>, months and weeks applied. Empty when closed or unknown.
    /// </summary>
    public IReadOnlyList<TimeRange> OpenOn(DateOnly day, string? departementCode = null) => IsKnown ? Ranges(day, departementCode) : [];

    /// <summary>
    /// The typical week, for display: rules limited to some weeks or months count and are marked conditional; holiday-only
    /// rules do not.
    /// </summary>
    public IReadOnlyList<WeeklyOpening> Weekly
    {
        get
        {
            if (!IsKnown) return [];
            var week = new List<WeeklyOpening>();
            foreach (var day in new[]
                {
                    DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday,
                    DayOfWeek.Saturday, DayOfWeek.Sunday,
                })
            {
                var ranges = new List<TimeRange>();
                var conditional = false;
                foreach (var rule in _rules)
                {
                    if (rule.HasDaySelector && !rule.Weekdays.Any(w => Contains(w, day))) continue;
                    if (rule.Weekdays.Any(w => w.Nth.Length > 0)) conditional = true;
                    conditional |= rule.IsConditional;
                    Apply(rule, ranges);
                }
                week.Add(new WeeklyOpening(day, Normalise(ranges), conditional && ranges.Count > 0));
            }
            return week;
        }
    }

    /// <summary>
    /// Average open hours per week over a whole year (52 weeks from Monday 5 January 2026, metropolitan holidays): rules
    /// for every other week count half. Used as the supply of a place in the coverage analysis. Null when unknown.
    /// </summary>
    public double? HoursPerWeek
    {
        get
        {
            if (!IsKnown) return null;
            // Rules that only name weekdays repeat every week: one week is the year's average, exactly.
            var days = _rules.Any(DependsOnDate) ? 364 : 7;
            return MinutesOver(days) * 7 / days / 60;
        }
    }

    /// <summary>Open minutes over <paramref name="days"/> days from Monday 5 January 2026 (metropolitan holidays).</summary>
    private double MinutesOver(int days)
    {
        var start = new DateOnly(2026, 1, 5);
        double minutes = 0;
        for (var i = 0; i < days; i++)
            minutes += Ranges(start.AddDays(i), null).Sum(r => r.End - r.Start);
        return minutes;
    }

    private static bool DependsOnDate(Rule rule) => rule.IsConditional || rule.PublicHolidays || rule.Weekdays.Any(w => w.Nth.Length > 0);

    /// <summary>The ranges of one date (ends past 1440 run into the next day).</summary>
    internal List<TimeRange> Ranges(DateOnly day, string? departementCode)
    {
        var ranges = new List<TimeRange>();
        foreach (var rule in _rules)
            if (Matches(rule, day, departementCode)) Apply(rule, ranges);
        return Normalise(ranges);
    }

    private static void Apply(Rule rule, List<TimeRange> ranges)
    {
        var times = rule.Times.Count > 0 ? rule.Times : [new TimeRange(0, 1440)];
        if (!rule.Additional) ranges.Clear();
        if (rule.State == RuleState.Open) ranges.AddRange(times);
        else if (rule.Additional) Subtract(ranges, times);
    }

    private static void Subtract(List<TimeRange> ranges, List<TimeRange> cut)
    {
        foreach (var c in cut)
        {
            var next = new List<TimeRange>();
            foreach (var r in ranges)
            {
                if (c.End <= r.Start || c.Start >= r.End) { next.Add(r); continue; }
                if (r.Start < c.Start) next.Add(new TimeRange(r.Start, c.Start));
                if (c.End < r.End) next.Add(new TimeRange(c.End, r.End));
            }
            ranges.Clear();
            ranges.AddRange(next);
        }
    }

    /// <summary>Sorted, overlapping ranges merged ("Tu-Su 09:00-22:00,09:00-11:30" is one range).</summary>
    private static List<TimeRange> Normalise(List<TimeRange> ranges)
    {
        var merged = new List<TimeRange>();
        foreach (var r in ranges.OrderBy(r => r.Start))
        {
            if (merged.Count > 0 && r.Start <= merged[^1].End) merged[^1] = merged[^1] with { End = Math.Max(merged[^1].End, r.End) };
            else merged.Add(r);
        }
        return merged;
    }

    private static bool Matches(Rule rule, DateOnly day, string? departementCode)
    {
        if (rule.Months.Count > 0 && !rule.Months.Any(m => InMonthRange(m, day))) return false;
        if (rule.Weeks.Count > 0)
        {
            var week = ISOWeek.GetWeekOfYear(day.ToDateTime(TimeOnly.MinValue));
            if (!rule.Weeks.Any(w => week >= w.From && week <= w.To && (week - w.From) % w.Step == 0)) return false;
        }
        if (!rule.HasDaySelector) return true;
        if (rule.PublicHolidays && FrenchPublicHolidays.IsHoliday(day, departementCode)) return true;
        return rule.Weekdays.Any(w => Contains(w, day.DayOfWeek) && NthMatches(w, day));
    }

    private static bool Contains(WeekdayRange range, DayOfWeek day)
    {
        // Monday-based positions so that Sa-Mo wraps over the week end.
        static int Index(DayOfWeek d) => ((int)d + 6) % 7;
        int from = Index(range.From), to = Index(range.To), d = Index(day);
        return from <= to ? d >= from && d <= to : d >= from || d <= to;
    }

    private static bool NthMatches(WeekdayRange range, DateOnly day)
    {
        if (range.Nth.Length == 0) return true;
        var fromStart = (day.Day - 1) / 7 + 1;
        var fromEnd = -((DateTime.DaysInMonth(day.Year, day.Month) - day.Day) / 7 + 1);
        return range.Nth.Contains(fromStart) || range.Nth.Contains(fromEnd);
    }

    private static bool InMonthRange(MonthDayRange m, DateOnly day)
    {
        var from = (m.FromMonth, m.FromDay == 0 ? 1 : m.FromDay);
        var to = (m.ToMonth, m.ToDay == 0 ? 31 : m.ToDay);
        var d = (day.Month, day.Day);
        static int Key((int Month, int Day) x) => x.Month * 100 + x.Day;
        return Key(from) <= Key(to) ? Key(d) >= Key(from) && Key(d) <= Key(to) : Key(d) >= Key(from) || Key(d) <= Key(to);
    }

    public override string ToString() => Text ?? "";
}
