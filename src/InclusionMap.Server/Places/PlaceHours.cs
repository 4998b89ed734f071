using System.Globalization;
using InclusionMap.Core.OpeningHours;

namespace InclusionMap.Server.Places;

/// <summary>
/// A place's opening hours as its page shows them, in the place's local time: open now or when it opens next, this
/// week day by day (public holidays and exceptions included), the public holidays and the closures of the months ahead.
/// </summary>
public sealed record PlaceHours(
    bool Known, string? Published, bool? OpenNow, string Status, string WeekCaption, IReadOnlyList<PlaceDay> Week,
    IReadOnlyList<PlaceDay> Holidays, IReadOnlyList<string> Closures, bool SomeWeeksOnly)
{
    /// <summary>The hours of a public holiday when the place's hours say nothing of holidays.</summary>
    public const string Unspecified = "Non précisé";

    /// <summary>How far ahead public holidays and closures are listed.</summary>
    public const int DaysAhead = 120;

    private static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");

    public static PlaceHours Create(OpeningHours hours, string? departementCode, DateTimeOffset now)
    {
        var zone = FrenchTimeZones.ForDepartement(departementCode);
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var today = DateOnly.FromDateTime(local.DateTime);
        var monday = today.AddDays(-(((int)today.DayOfWeek + 6) % 7));
        var sunday = monday.AddDays(6);
        var caption = $"Horaires de la semaine du {Day(monday, withWeekday: false)} au {Day(sunday, withWeekday: false)} {sunday.Year}";
        if (!hours.IsKnown)
        {
            var status = hours.Text is null ? "Horaires non renseignés"
                : "Horaires publiés dans une forme que nous ne savons pas lire (voir ci-dessous)";
            return new PlaceHours(false, hours.Text, null, status, caption, [], [], [], false);
        }

        var typical = hours.Weekly.ToDictionary(w => w.Day);
        var week = Enumerable.Range(0, 7).Select(i => DayOf(hours, typical, departementCode, monday.AddDays(i), today)).ToList();
        var ahead = Enumerable.Range(1, DaysAhead).Select(i => today.AddDays(i)).ToList();
        var holidays = ahead.Where(d => FrenchPublicHolidays.NameOf(d, departementCode) is not null)
            .Select(d => DayOf(hours, typical, departementCode, d, today)).ToList();
        return new PlaceHours(true, hours.Text, hours.IsOpenAt(now, zone, departementCode),
            StatusOf(hours, departementCode, now, zone, local),
            caption, week, holidays, ClosuresAhead(hours, typical, departementCode, ahead), typical.Values.Any(w => w.Conditional));
    }

    private static PlaceDay DayOf(
        OpeningHours hours, Dictionary<DayOfWeek, WeeklyOpening> typical, string? departementCode, DateOnly date, DateOnly today)
    {
        var ranges = hours.OpenOn(date, departementCode);
        var usual = typical[date.DayOfWeek];
        var holiday = FrenchPublicHolidays.NameOf(date, departementCode);
        if (holiday is not null && !hours.NamesPublicHolidays)
            return new PlaceDay(date, Day(date, withWeekday: true), Unspecified, date == today, holiday,
                $"jour férié : {holiday}, horaires non précisés par le lieu");
        string? note = holiday is not null ? $"jour férié : {holiday}"
            : usual.Conditional ? null
            : ranges.SequenceEqual(usual.Ranges) ? null
            : ranges.Count == 0 ? "fermeture exceptionnelle" : "horaires exceptionnels";
        return new PlaceDay(date, Day(date, withWeekday: true), Ranges(ranges), date == today, holiday, note);
    }

    /// <summary>« Ouvert maintenant, jusqu'à 12 h » or « Fermé maintenant : ouvre demain à 9 h ».</summary>
    private static string StatusOf(OpeningHours hours, string? departementCode, DateTimeOffset now, TimeZoneInfo zone, DateTimeOffset local)
    {
        var today = DateOnly.FromDateTime(local.DateTime);
        var minute = local.Hour * 60 + local.Minute;
        if (hours.IsOpenAt(now, zone, departementCode) == true)
        {
            var until = hours.OpenOn(today, departementCode).FirstOrDefault(r => r.Start <= minute && minute < r.End);
            return until.End is > 0 and < 1440 ? $"Ouvert maintenant, jusqu'à {Time(until.End)}" : "Ouvert maintenant";
        }
        if (hours.NextOpening(now, zone, departementCode) is not { } next) return "Fermé maintenant, sans ouverture prévue dans l'année";
        var at = TimeZoneInfo.ConvertTime(next, zone);
        var day = DateOnly.FromDateTime(at.DateTime);
        var when = day == today ? "aujourd'hui" : day == today.AddDays(1) ? "demain" : "le " + Day(day, withWeekday: true);
        return $"Fermé maintenant : ouvre {when} à {Time(at.Hour * 60 + at.Minute)}";
    }

    /// <summary>
    /// Dates ahead on which the typical week says open but the hours say closed, other than public holidays (« Aug off »,
    /// a closure between two dates), grouped into periods; days usually closed do not break a period. Weekdays open only
    /// some weeks or months are left out: their absence is the rule, not a closure.
    /// </summary>
    private static List<string> ClosuresAhead(
        OpeningHours hours, Dictionary<DayOfWeek, WeeklyOpening> typical, string? departementCode, List<DateOnly> ahead)
    {
        var periods = new List<(DateOnly From, DateOnly To)>();
        (DateOnly From, DateOnly To)? current = null;
        foreach (var date in ahead)
        {
            var usual = typical[date.DayOfWeek];
            if (usual.Ranges.Count == 0 || usual.Conditional) continue;
            var closed = hours.OpenOn(date, departementCode).Count == 0 && FrenchPublicHolidays.NameOf(date, departementCode) is null;
            if (closed) current = current is { } c ? (c.From, date) : (date, date);
            else if (current is { } c)
            {
                periods.Add(c);
                current = null;
            }
        }
        if (current is { } last) periods.Add(last);
        return periods.Select(p => p.From == p.To ? $"le {Day(p.From, withWeekday: true)}"
            : $"du {Day(p.From, withWeekday: true)} au {Day(p.To, withWeekday: true)}").ToList();
    }

    /// <summary>« lundi 13 juillet », « 1er août » (without the weekday).</summary>
    public static string Day(DateOnly date, bool withWeekday) =>
        (withWeekday ? date.ToString("dddd ", French) : "") + (date.Day == 1 ? "1er" : date.Day.ToString(French))
        + date.ToString(" MMMM", French);

    /// <summary>« 9 h – 12 h, 14 h – 17 h 30 » or « Fermé ».</summary>
    public static string Ranges(IReadOnlyList<TimeRange> ranges) =>
        ranges.Count == 0 ? "Fermé" : string.Join(", ", ranges.Select(r => $"{Time(r.Start)} – {Time(r.End)}"));

    /// <summary>Minutes from midnight as French write the time: 9 h, 9 h 30, minuit; past midnight on the next day.</summary>
    public static string Time(int minutes) => minutes switch
    {
        0 or 1440 => "minuit",
        > 1440 => Time(minutes - 1440) + " (le lendemain)",
        _ => minutes % 60 == 0 ? $"{minutes / 60} h" : $"{minutes / 60} h {minutes % 60:00}",
    };
}
