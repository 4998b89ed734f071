using InclusionMap.Core.OpeningHours;
using Hours = InclusionMap.Core.OpeningHours.OpeningHours;

namespace InclusionMap.Core.Tests.OpeningHours;

public sealed class OpeningHoursTests
{
    /// <summary>Local Paris time as an instant (the offset comes from the zone's rules, DST included).</summary>
    private static DateTimeOffset Paris(int year, int month, int day, int hour, int minute = 0)
    {
        var local = new DateTime(year, month, day, hour, minute, 0);
        return new DateTimeOffset(local, FrenchTimeZones.Paris.GetUtcOffset(local));
    }

    [Theory]
    // 2026-03-02 is a Monday.
    [InlineData("Mo-Fr 09:00-12:00,14:00-18:00", 2026, 3, 2, 9, 0, true)]
    [InlineData("Mo-Fr 09:00-12:00,14:00-18:00", 2026, 3, 2, 12, 0, false)] // ranges end exclusively
    [InlineData("Mo-Fr 09:00-12:00,14:00-18:00", 2026, 3, 2, 13, 59, false)]
    [InlineData("Mo-Fr 09:00-12:00,14:00-18:00", 2026, 3, 2, 17, 59, true)]
    [InlineData("Mo-Fr 09:00-12:00,14:00-18:00", 2026, 3, 7, 10, 0, false)] // Saturday
    [InlineData("We,Fr 09:00-12:00", 2026, 3, 4, 10, 0, true)]
    [InlineData("We,Fr 09:00-12:00", 2026, 3, 5, 10, 0, false)]
    [InlineData("Mo-Fr 08:30-12:00,13:30-17:30; We off", 2026, 3, 4, 10, 0, false)] // a later rule replaces the day
    [InlineData("Mo-Fr 08:30-12:00,13:30-17:30; We off", 2026, 3, 5, 10, 0, true)]
    [InlineData("Mo-Fr 08:30-12:00; Tu 14:00-17:00", 2026, 3, 3, 10, 0, false)] // Tuesday replaced, not added
    [InlineData("Mo-Fr 08:30-12:00; Tu 14:00-17:00", 2026, 3, 3, 15, 0, true)]
    [InlineData("Mo-Fr 08:30-12:00, Tu 14:00-17:00", 2026, 3, 3, 10, 0, true)] // additional rule (comma) adds
    [InlineData("Mo-Fr 08:30-12:00, Tu 14:00-17:00", 2026, 3, 3, 15, 0, true)]
    [InlineData("Mo 13:30-17:30;Tu 08:30-12:15", 2026, 3, 3, 9, 0, true)] // no space after ';'
    [InlineData("Fr-Mo 10:00-12:00", 2026, 3, 8, 11, 0, true)] // Sunday inside a range wrapping the week end
    [InlineData("Fr-Mo 10:00-12:00", 2026, 3, 4, 11, 0, false)]
    [InlineData("24/7", 2026, 12, 25, 3, 0, true)]
    [InlineData("08:00-17:00", 2026, 3, 8, 9, 0, true)] // no day selector: every day
    [InlineData("Fr 20:00-02:00", 2026, 3, 7, 1, 30, true)] // Saturday 01:30 belongs to Friday night
    [InlineData("Fr 20:00-02:00", 2026, 3, 7, 2, 0, false)]
    [InlineData("Sep-Jun Mo 10:00-12:00", 2026, 1, 5, 11, 0, true)] // month range wrapping the year
    [InlineData("Sep-Jun Mo 10:00-12:00", 2026, 7, 6, 11, 0, false)]
    [InlineData("Mo-Sa 10:00-12:00; Dec 24 off", 2026, 12, 24, 11, 0, false)]
    [InlineData("Sa[1] 09:00-12:00", 2026, 3, 7, 10, 0, true)] // first Saturday of March 2026
    [InlineData("Sa[1] 09:00-12:00", 2026, 3, 14, 10, 0, false)]
    [InlineData("Mo[-1] 09:00-12:00", 2026, 3, 30, 10, 0, true)] // last Monday
    public void Open_or_closed_at_local_paris_times(string value, int y, int mo, int d, int h, int mi, bool open)
    {
        var hours = Hours.Parse(value);
        Assert.True(hours.IsKnown, hours.Error);
        Assert.Equal(open, hours.IsOpenAt(Paris(y, mo, d, h, mi)));
    }

    [Fact]
    public void Public_holidays_follow_the_french_calendar()
    {
        var hours = Hours.Parse("Mo-Fr 09:00-12:00; PH off");
        Assert.Equal(false, hours.IsOpenAt(Paris(2026, 7, 14, 10)));  // Tuesday 14 July
        Assert.Equal(false, hours.IsOpenAt(Paris(2026, 4, 6, 10)));   // Easter Monday 2026
        Assert.Equal(false, hours.IsOpenAt(Paris(2026, 5, 14, 10)));  // Ascension Thursday
        Assert.Equal(false, hours.IsOpenAt(Paris(2026, 5, 25, 10)));  // Whit Monday
        Assert.Equal(true, hours.IsOpenAt(Paris(2026, 7, 15, 10)));
        // Good Friday is a holiday in Alsace-Moselle only.
        Assert.Equal(true, hours.IsOpenAt(Paris(2026, 4, 3, 10)));
        Assert.Equal(false, hours.IsOpenAt(Paris(2026, 4, 3, 10), departementCode: "67"));
        Assert.Equal(new DateOnly(2026, 4, 5), FrenchPublicHolidays.EasterSunday(2026));
        Assert.Equal(new DateOnly(2027, 3, 28), FrenchPublicHolidays.EasterSunday(2027));
        Assert.Equal(11, FrenchPublicHolidays.InYear(2026).Count());
        Assert.Contains(new DateOnly(2026, 12, 20), FrenchPublicHolidays.InYear(2026, "974"));
        // A holiday rule may also open.
        Assert.Equal(true, Hours.Parse("PH 10:00-12:00").IsOpenAt(Paris(2026, 11, 11, 11)));
        Assert.Equal(false, Hours.Parse("PH 10:00-12:00").IsOpenAt(Paris(2026, 11, 12, 11)));
    }

    [Fact]
    public void Iso_week_numbers_with_a_step_select_every_other_week()
    {
        var odd = Hours.Parse("week 1-53/2 Tu 09:00-12:30; PH off");
        var even = Hours.Parse("week 2-52/2 Tu 09:30-12:00; PH off");
        // 2026-01-06 is the Tuesday of ISO week 2; 2026-01-13 of week 3.
        Assert.Equal((false, true), (odd.IsOpenAt(Paris(2026, 1, 6, 10)), even.IsOpenAt(Paris(2026, 1, 6, 10))));
        Assert.Equal((true, false), (odd.IsOpenAt(Paris(2026, 1, 13, 10)), even.IsOpenAt(Paris(2026, 1, 13, 10))));
        var weekly = odd.Weekly.Single(w => w.Day == DayOfWeek.Tuesday);
        Assert.True(weekly.Conditional);
        Assert.Equal("09:00-12:30", Assert.Single(weekly.Ranges).ToString());
    }

    [Fact]
    public void Evaluation_is_right_on_both_daylight_saving_changes()
    {
        var hours = Hours.Parse("Su 01:00-04:00");
        // 29 March 2026: 02:00 CET jumps to 03:00 CEST. 03:30 local exists and is open; the instant 00:30Z is 01:30 CET: open.
        Assert.Equal(true, hours.IsOpenAt(new DateTimeOffset(2026, 3, 29, 0, 30, 0, TimeSpan.Zero)));
        Assert.Equal(true, hours.IsOpenAt(new DateTimeOffset(2026, 3, 29, 1, 30, 0, TimeSpan.Zero))); // 03:30 CEST
        Assert.Equal(false, hours.IsOpenAt(new DateTimeOffset(2026, 3, 29, 2, 0, 0, TimeSpan.Zero)));  // 04:00 CEST
        // 25 October 2026: 03:00 CEST falls back to 02:00 CET; 03:30 CET (02:30Z) is still before 04:00: open.
        Assert.Equal(true, hours.IsOpenAt(new DateTimeOffset(2026, 10, 25, 2, 30, 0, TimeSpan.Zero)));
        Assert.Equal(false, hours.IsOpenAt(new DateTimeOffset(2026, 10, 25, 3, 0, 0, TimeSpan.Zero)));  // 04:00 CET
        // A range starting inside the spring gap opens when the clock reaches 03:00.
        var gap = Hours.Parse("Su 02:30-05:00").NextOpening(new DateTimeOffset(2026, 3, 28, 23, 0, 0, TimeSpan.Zero));
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 3, 0, 0, TimeSpan.FromHours(2)), gap);
    }

    [Fact]
    public void Next_opening_skips_closed_days_and_holidays_and_is_now_when_open()
    {
        var hours = Hours.Parse("Mo-Fr 09:00-12:00,14:00-17:00; PH off");
        var friday = Paris(2026, 7, 10, 18);
        // Monday 13 July, then Tuesday 14 July is a holiday.
        Assert.Equal(Paris(2026, 7, 13, 9), hours.NextOpening(friday));
        Assert.Equal(Paris(2026, 7, 13, 14), hours.NextOpening(Paris(2026, 7, 13, 12, 30)));
        Assert.Equal(Paris(2026, 7, 15, 9), hours.NextOpening(Paris(2026, 7, 13, 17)));
        var now = Paris(2026, 7, 15, 10);
        Assert.Equal(now, hours.NextOpening(now));
        Assert.Null(Hours.Parse("Mo off").NextOpening(now));
    }

    [Fact]
    public void Other_time_zones_evaluate_in_local_time()
    {
        var hours = Hours.Parse("Mo-Fr 08:00-16:00");
        var instant = new DateTimeOffset(2026, 3, 2, 21, 30, 0, TimeSpan.Zero); // Monday 22:30 in Paris, Tuesday 08:30 in Nouméa
        Assert.Equal(false, hours.IsOpenAt(instant));
        Assert.Equal(true, hours.IsOpenAt(instant, FrenchTimeZones.ForDepartement("988")));
        Assert.Equal("Pacific/Noumea", FrenchTimeZones.ForDepartement("988").Id);
        Assert.Equal("Europe/Paris", FrenchTimeZones.ForDepartement("23").Id);
    }

    [Fact]
    public void Hours_per_week_average_a_whole_year()
    {
        Assert.Equal(15.0, Hours.Parse("Mo-Fr 09:00-12:00").HoursPerWeek);
        // Nine weekday holidays fall between 5 January 2026 and 3 January 2027: (52×5 − 9) × 3 h / 52.
        Assert.Equal((52 * 5 - 9) * 3.0 / 52, Hours.Parse("Mo-Fr 09:00-12:00; PH off").HoursPerWeek!.Value, 9);
        // ISO weeks 2..53 of 2026: the 26 odd ones, 3.5 h each.
        Assert.Equal(26 * 3.5 / 52, Hours.Parse("week 1-53/2 Tu 09:00-12:30").HoursPerWeek!.Value, 9);
        Assert.Equal(168.0, Hours.Parse("24/7").HoursPerWeek);
    }

    [Fact]
    public void Overlapping_ranges_merge_in_the_weekly_view()
    {
        var weekly = Hours.Parse("Tu-Su 09:00-22:00,09:00-11:30; Th 09:00-11:30; Fr off").Weekly;
        Assert.Equal("09:00-22:00", Assert.Single(weekly.Single(w => w.Day == DayOfWeek.Tuesday).Ranges).ToString());
        Assert.Equal("09:00-11:30", Assert.Single(weekly.Single(w => w.Day == DayOfWeek.Thursday).Ranges).ToString());
        Assert.Empty(weekly.Single(w => w.Day == DayOfWeek.Friday).Ranges);
        Assert.Empty(weekly.Single(w => w.Day == DayOfWeek.Monday).Ranges);
    }

    [Theory]
    [InlineData("Mo-Fr 09:00-19:00; Sa 17:00", "expected '-' after a start time")]
    [InlineData("Mo-Fr 09:00-12:00; Tu 30-19", "expected")]
    [InlineData("We 09:30-13:00-18:00", "malformed time range")]
    [InlineData("Mo 25:00-26:00", "invalid time")]
    [InlineData("Mo-Fr 09:00-12:00 || \"sur rendez-vous\"", "fallback")]
    [InlineData("SH off", "school holidays")]
    [InlineData("sunrise-sunset", "expected")]
    [InlineData("Lundi 9h-12h", "expected")]
    [InlineData("", null)]
    public void Unsupported_values_are_unknown_with_a_reason_never_guessed(string value, string? reason)
    {
        var hours = Hours.Parse(value);
        Assert.False(hours.IsKnown);
        if (reason is null) Assert.Null(hours.Error);
        else Assert.Contains(reason, hours.Error);
        Assert.Null(hours.IsOpenAt(DateTimeOffset.UtcNow));
        Assert.Null(hours.NextOpening(DateTimeOffset.UtcNow));
        Assert.Null(hours.HoursPerWeek);
        Assert.Empty(hours.Weekly);
    }

    [Fact]
    public void Comments_and_open_modifiers_are_accepted()
    {
        var hours = Hours.Parse("Mo 10:00-12:00 open \"sur rendez-vous\"; Tu closed");
        Assert.True(hours.IsKnown, hours.Error);
        Assert.Equal(true, hours.IsOpenAt(Paris(2026, 3, 2, 11)));
    }

    [Fact]
    public void A_dates_ranges_follow_the_week_the_months_and_the_public_holidays()
    {
        var hours = Hours.Parse("Mo-Fr 09:00-12:00,14:00-17:00; Aug off; PH off");
        Assert.Equal(["09:00-12:00", "14:00-17:00"], hours.OpenOn(new DateOnly(2026, 7, 15)).Select(r => r.ToString()));
        Assert.Empty(hours.OpenOn(new DateOnly(2026, 7, 14)));   // Fête nationale
        Assert.Empty(hours.OpenOn(new DateOnly(2026, 8, 12)));   // August
        Assert.Empty(hours.OpenOn(new DateOnly(2026, 7, 18)));   // Saturday
        Assert.Empty(Hours.Parse("Mo-Fr 9h-12h, sauf vacances").OpenOn(new DateOnly(2026, 7, 15)));
        Assert.Equal("Fête nationale", FrenchPublicHolidays.NameOf(new DateOnly(2026, 7, 14)));
        Assert.Equal("Vendredi saint", FrenchPublicHolidays.NameOf(new DateOnly(2026, 4, 3), "67"));
        Assert.Null(FrenchPublicHolidays.NameOf(new DateOnly(2026, 4, 3), "23"));
        Assert.Null(FrenchPublicHolidays.NameOf(new DateOnly(2026, 7, 15)));
    }
}
