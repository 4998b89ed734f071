namespace InclusionMap.Data.Sources;

public static class SourceDefaults
{
    public const string TimeZone = "Europe/Paris";
    public const double MaxRetiredShare = 0.2;
}
