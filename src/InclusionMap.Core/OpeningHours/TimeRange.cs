using System.Globalization;

namespace InclusionMap.Core.OpeningHours;

/// <summary>A time range in minutes from the start of the day; <see cref="End"/> may pass 1440 (open past midnight).</summary>
public readonly record struct TimeRange(int Start, int End)
{
    public override string ToString() => $"{Format(Start)}-{Format(End)}";
    private static string Format(int minutes) => string.Create(CultureInfo.InvariantCulture, $"{minutes / 60:00}:{minutes % 60:00}");
}
