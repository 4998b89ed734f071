namespace InclusionMap.Core.OpeningHours;

/// <summary>Opening ranges of one weekday in the typical week. <see cref="Conditional"/>: only some weeks or months.</summary>
public sealed record WeeklyOpening(DayOfWeek Day, IReadOnlyList<TimeRange> Ranges, bool Conditional);
