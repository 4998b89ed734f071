namespace InclusionMap.Core.OpeningHours;

/// <summary>The legal time zone of a French département or overseas collectivity (opening hours are local time).</summary>
public static class FrenchTimeZones
{
    public static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

    public static TimeZoneInfo ForDepartement(string? departementCode) => departementCode switch
    {
        "971" or "977" or "978" => Find("America/Guadeloupe"),
        "972" => Find("America/Martinique"),
        "973" => Find("America/Cayenne"),
        "974" => Find("Indian/Reunion"),
        "975" => Find("America/Miquelon"),
        "976" => Find("Indian/Mayotte"),
        "986" => Find("Pacific/Wallis"),
        "987" => Find("Pacific/Tahiti"),
        "988" => Find("Pacific/Noumea"),
        _ => Paris,
    };

    private static TimeZoneInfo Find(string id) => TimeZoneInfo.FindSystemTimeZoneById(id);
}
