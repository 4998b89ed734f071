namespace InclusionMap.Server.Places;

/// <summary>
/// A link of the place page: its text, its address (checked: see <see cref="PlaceView"/>) and text for screen readers only.
/// </summary>
public sealed record PlaceLink(string Text, string Href, string? Hidden = null);
