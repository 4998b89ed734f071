namespace InclusionMap.Server.Places;

/// <summary>
/// One date of a place's hours as the page shows it: « lundi 13 juillet », « 9 h – 12 h », today or not, the public
/// holiday's name, and why the day differs from the typical week.
/// </summary>
public sealed record PlaceDay(DateOnly Date, string Label, string Hours, bool Today, string? Holiday, string? Note);
