using System.Globalization;

namespace InclusionMap.Core.OpeningHours;

internal enum RuleState { Open, Closed }

internal readonly record struct MonthDayRange(int FromMonth, int FromDay, int ToMonth, int ToDay);
internal readonly record struct WeekRange(int From, int To, int Step);
internal readonly record struct WeekdayRange(DayOfWeek From, DayOfWeek To, int[] Nth);

/// <summary>One rule of an opening_hours value (the text between two ';').</summary>
internal sealed class Rule
{
    public bool Additional { get; init; }
    public List<MonthDayRange> Months { get; } = [];
    public List<WeekRange> Weeks { get; } = [];
    public List<WeekdayRange> Weekdays { get; } = [];
    public bool PublicHolidays { get; set; }
    public List<TimeRange> Times { get; } = [];
    public RuleState State { get; set; } = RuleState.Open;
    public string? Comment { get; set; }

    public bool HasDaySelector => Weekdays.Count > 0 || PublicHolidays;
    public bool IsConditional => Months.Count > 0 || Weeks.Count > 0;
}

/// <summary>
/// A recursive-descent parser for the OSM opening_hours syntax as French producers write it: <c>24/7</c>, months and
/// month days (<c>Sep-Jun</c>, <c>Dec 25</c>), ISO weeks with a step (<c>week 2-52/2</c>), weekday ranges and lists with
/// an optional nth (<c>Mo-Fr</c>, <c>We,Fr</c>, <c>Sa[1]</c>), public holidays <c>PH</c>, time ranges (past midnight
/// too), <c>off</c>/<c>closed</c>/<c>open</c>, comments, and additional rules after a comma. Anything else is an error
/// with its position: the value is then reported unknown, never guessed.
/// </summary>
internal sealed class OpeningHoursParser
{
    private static readonly string[] DayNames = ["Su", "Mo", "Tu", "We", "Th", "Fr", "Sa"];
    private static readonly string[] MonthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    private readonly string _text;
    private int _pos;

    private OpeningHoursParser(string text) => _text = text;

    public static List<Rule> Parse(string text) => new OpeningHoursParser(text).ParseAll();

    private List<Rule> ParseAll()
    {
        var rules = new List<Rule>();
        var additional = false;
        SkipSpaces();
        if (AtEnd) throw Error("the value is empty");
        while (true)
        {
            rules.Add(ParseRule(additional));
            SkipSpaces();
            if (AtEnd) return rules;
            if (Peek("||")) throw Error("fallback rules ('||') are not supported");
            if (Accept(';')) { additional = false; SkipSpaces(); if (AtEnd) return rules; continue; }
            if (Accept(',')) { additional = true; continue; }
            throw Error($"unexpected '{Current}'");
        }
    }

    private Rule ParseRule(bool additional)
    {
        var rule = new Rule { Additional = additional };
        SkipSpaces();
        if (AcceptWord("24/7"))
        {
            rule.Times.Add(new TimeRange(0, 1440));
            ParseModifier(rule);
            return rule;
        }
        ParseWideRange(rule);
        ParseDaySelector(rule);
        ParseTimes(rule);
        ParseModifier(rule);
        if (rule.Times.Count == 0 && !rule.HasDaySelector && !rule.IsConditional && rule.Comment is null && rule.State == RuleState.Open)
            throw Error("expected a day, a time range or a modifier");
        return rule;
    }

    private void ParseWideRange(Rule rule)
    {
        SkipSpaces();
        if (IsYear()) throw Error("year ranges are not supported");
        if (TryMonth(out _))
        {
            do { SkipSpaces(); rule.Months.Add(ParseMonthRange()); } while (AcceptListComma(TryMonthAhead));
        }
        SkipSpaces();
        if (AcceptWord("week"))
        {
            do
            {
                SkipSpaces();
                var from = Number(1, 53, "week number");
                var to = from;
                var step = 1;
                if (Accept('-')) to = Number(from, 53, "week number");
                if (Accept('/')) step = Number(1, 53, "week step");
                rule.Weeks.Add(new WeekRange(from, to, step));
            } while (AcceptListComma(() => char.IsAsciiDigit(CurrentOrNul)));
        }
    }

    private MonthDayRange ParseMonthRange()
    {
        if (!TryMonth(out var fromMonth)) throw Error("expected a month");
        _pos += 3;
        var fromDay = OptionalDay();
        var toMonth = fromMonth;
        var toDay = fromDay;
        if (Accept('-'))
        {
            SkipSpaces();
            if (TryMonth(out var m)) { toMonth = m; _pos += 3; toDay = OptionalDay(); }
            else if (fromDay > 0) toDay = Number(1, 31, "day of month");
            else throw Error("expected a month after '-'");
        }
        // "Jan-Jun": whole months; "Dec 25": one day.
        return new MonthDayRange(fromMonth, fromDay, toMonth, toDay);
    }

    private int OptionalDay()
    {
        var save = _pos;
        SkipSpaces();
        if (char.IsAsciiDigit(CurrentOrNul) && !LooksLikeTime()) return Number(1, 31, "day of month");
        _pos = save;
        return 0;
    }

    private void ParseDaySelector(Rule rule)
    {
        SkipSpaces();
        if (!TryDay(out _) && !Peek("PH") && !Peek("SH")) return;
        do
        {
            SkipSpaces();
            if (AcceptWord("PH")) { rule.PublicHolidays = true; continue; }
            if (Peek("SH")) throw Error("school holidays (SH) are not supported: no school calendar here");
            if (!TryDay(out var from)) throw Error("expected a weekday (Mo, Tu, We, Th, Fr, Sa, Su) or PH");
            _pos += 2;
            var to = from;
            if (Accept('-'))
            {
                if (!TryDay(out to)) throw Error("expected a weekday after '-'");
                _pos += 2;
            }
            var nth = Array.Empty<int>();
            if (Accept('['))
            {
                var list = new List<int>();
                do
                {
                    var negative = Accept('-');
                    var n = Number(1, 5, "nth weekday");
                    if (!negative && Accept('-')) { var m = Number(n, 5, "nth weekday"); for (var i = n; i <= m; i++) list.Add(i); }
                    else list.Add(negative ? -n : n);
                } while (Accept(','));
                if (!Accept(']')) throw Error("expected ']'");
                nth = [.. list];
            }
            rule.Weekdays.Add(new WeekdayRange(from, to, nth));
        } while (AcceptListComma(() => TryDay(out _) || Peek("PH") || Peek("SH")));
    }

    private void ParseTimes(Rule rule)
    {
        SkipSpaces();
        if (!LooksLikeTime()) return;
        do
        {
            SkipSpaces();
            var start = Time(allowExtended: false);
            if (Accept('+')) throw Error("open-ended times ('+') are not supported");
            if (!Accept('-')) throw Error("expected '-' after a start time");
            var end = Time(allowExtended: true);
            if (char.IsAsciiDigit(CurrentOrNul) || CurrentOrNul == ':' || CurrentOrNul == '-') throw Error("malformed time range");
            // 20:00-02:00 runs past midnight; 22:00-26:00 says the same in the extended notation.
            if (end <= start) end += 1440;
            rule.Times.Add(new TimeRange(start, end));
        } while (AcceptListComma(LooksLikeTime));
    }

    private void ParseModifier(Rule rule)
    {
        SkipSpaces();
        if (AcceptWord("off") || AcceptWord("closed")) rule.State = RuleState.Closed;
        else if (AcceptWord("open")) rule.State = RuleState.Open;
        else if (Peek("unknown")) throw Error("the 'unknown' state is not supported");
        SkipSpaces();
        if (Accept('"'))
        {
            var end = _text.IndexOf('"', _pos);
            if (end < 0) throw Error("unterminated comment");
            rule.Comment = _text[_pos..end];
            _pos = end + 1;
        }
    }

    // --- lexical helpers ---

    private bool AtEnd => _pos >= _text.Length;
    private char Current => _text[_pos];
    private char CurrentOrNul => AtEnd ? '\0' : _text[_pos];

    private void SkipSpaces()
    {
        while (!AtEnd && char.IsWhiteSpace(Current)) _pos++;
    }

    private bool Accept(char c)
    {
        SkipSpaces();
        if (AtEnd || Current != c) return false;
        _pos++;
        return true;
    }

    private bool Peek(string word) => string.CompareOrdinal(_text, _pos, word, 0, word.Length) == 0;

    private bool AcceptWord(string word)
    {
        SkipSpaces();
        if (!Peek(word)) return false;
        var after = _pos + word.Length;
        if (after < _text.Length && char.IsAsciiLetter(_text[after])) return false;
        _pos = after;
        return true;
    }

    /// <summary>A comma continues the current list only when the next item is of the same kind; else it separates rules.</summary>
    private bool AcceptListComma(Func<bool> nextIsItem)
    {
        var save = _pos;
        if (!Accept(',')) return false;
        SkipSpaces();
        if (nextIsItem()) return true;
        _pos = save;
        return false;
    }

    private bool TryDay(out DayOfWeek day)
    {
        for (var i = 0; i < DayNames.Length; i++)
        {
            if (Peek(DayNames[i]) && !(_pos + 2 < _text.Length && char.IsAsciiLetterLower(_text[_pos + 2])))
            {
                day = (DayOfWeek)i;
                return true;
            }
        }
        day = default;
        return false;
    }

    private bool TryMonth(out int month)
    {
        for (var i = 0; i < MonthNames.Length; i++)
            if (Peek(MonthNames[i])) { month = i + 1; return true; }
        month = 0;
        return false;
    }

    private bool TryMonthAhead() => TryMonth(out _);

    private bool IsYear() =>
        _pos + 4 <= _text.Length && _text.AsSpan(_pos, 4).ToString().All(char.IsAsciiDigit)
        && (_pos + 4 == _text.Length || !char.IsAsciiDigit(_text[_pos + 4]))
        && _text.AsSpan(_pos, 4).ToString().StartsWith('2') && (_pos + 4 == _text.Length || _text[_pos + 4] != ':');

    private bool LooksLikeTime() =>
        _pos + 5 <= _text.Length && char.IsAsciiDigit(_text[_pos]) && char.IsAsciiDigit(_text[_pos + 1]) && _text[_pos + 2] == ':';

    private int Time(bool allowExtended)
    {
        SkipSpaces();
        if (!LooksLikeTime() || !char.IsAsciiDigit(_text[_pos + 3]) || !char.IsAsciiDigit(_text[_pos + 4]))
            throw Error("expected a time HH:MM");
        var hours = int.Parse(_text.AsSpan(_pos, 2), CultureInfo.InvariantCulture);
        var minutes = int.Parse(_text.AsSpan(_pos + 3, 2), CultureInfo.InvariantCulture);
        if (minutes > 59 || hours > (allowExtended ? 48 : 24) || (!allowExtended && hours == 24 && minutes > 0))
            throw Error($"invalid time {_text.Substring(_pos, 5)}");
        _pos += 5;
        return hours * 60 + minutes;
    }

    private int Number(int min, int max, string what)
    {
        SkipSpaces();
        var start = _pos;
        while (!AtEnd && char.IsAsciiDigit(Current)) _pos++;
        if (start == _pos) throw Error($"expected a {what}");
        var value = int.Parse(_text.AsSpan(start, _pos - start), CultureInfo.InvariantCulture);
        if (value < min || value > max) throw Error($"{what} {value} out of range {min}-{max}");
        return value;
    }

    private FormatException Error(string message) =>
        new(AtEnd ? $"{message} at the end" : $"{message} at position {_pos + 1} ('{_text[_pos..Math.Min(_text.Length, _pos + 12)]}')");
}
