namespace InclusionMap.Core.OpeningHours;

/// <summary>
/// French public holidays (jours fériés, Code du travail L3133-1), plus Good Friday and 26 December in Alsace-Moselle
/// (57, 67, 68) and the abolition-of-slavery day of each overseas département.
/// </summary>
public static class FrenchPublicHolidays
{
    public static bool IsHoliday(DateOnly date, string? departementCode = null) =>
        InYear(date.Year, departementCode).Contains(date);

    public static IEnumerable<DateOnly> InYear(int year, string? departementCode = null) =>
        Named(year, departementCode).Select(h => h.Date);

    /// <summary>The holiday's French name, or null when <paramref name="date"/> is not a public holiday there.</summary>
    public static string? NameOf(DateOnly date, string? departementCode = null) =>
        Named(date.Year, departementCode).Where(h => h.Date == date).Select(h => h.Name).FirstOrDefault();

    /// <summary>The public holidays of a year with their French names.</summary>
    public static IEnumerable<(DateOnly Date, string Name)> Named(int year, string? departementCode = null)
    {
        var easter = EasterSunday(year);
        yield return (new DateOnly(year, 1, 1), "Jour de l'an");
        yield return (easter.AddDays(1), "Lundi de Pâques");
        yield return (new DateOnly(year, 5, 1), "Fête du Travail");
        yield return (new DateOnly(year, 5, 8), "Victoire 1945");
        yield return (easter.AddDays(39), "Ascension");
        yield return (easter.AddDays(50), "Lundi de Pentecôte");
        yield return (new DateOnly(year, 7, 14), "Fête nationale");
        yield return (new DateOnly(year, 8, 15), "Assomption");
        yield return (new DateOnly(year, 11, 1), "Toussaint");
        yield return (new DateOnly(year, 11, 11), "Armistice 1918");
        yield return (new DateOnly(year, 12, 25), "Noël");
        if (departementCode is "57" or "67" or "68")
        {
            yield return (easter.AddDays(-2), "Vendredi saint");
            yield return (new DateOnly(year, 12, 26), "Saint-Étienne");
        }
        DateOnly? abolition = departementCode switch
        {
            "971" => new DateOnly(year, 5, 27),
            "972" => new DateOnly(year, 5, 22),
            "973" => new DateOnly(year, 6, 10),
            "974" => new DateOnly(year, 12, 20),
            "976" => new DateOnly(year, 4, 27),
            _ => null,
        };
        if (abolition is { } a) yield return (a, "Abolition de l'esclavage");
    }

    /// <summary>Easter Sunday in the Gregorian calendar (anonymous algorithm, Meeus/Jones/Butcher).</summary>
    public static DateOnly EasterSunday(int year)
    {
        int a = year % 19, b = year / 100, c = year % 100, d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3;
        int h = (19 * a + b - d - g + 15) % 30, i = c / 4, k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7;
        int m = (a + 11 * h + 22 * l) / 451, month = (h + l - 7 * m + 114) / 31, day = (h + l - 7 * m + 114) % 31 + 1;
        return new DateOnly(year, month, day);
    }
}
