using System.ComponentModel.DataAnnotations;
using InclusionMap.Core.Schema;

namespace InclusionMap.Server.WebClient;

/// <summary>
/// The background of every map (configuration section <c>InclusionMap:Map</c>): a MapLibre style such as an IGN or
/// OpenStreetMap vector or raster style, drawn under our own layers. Unset (the default), or unreachable from the
/// browser, the maps draw the commune outlines of our own vector tiles. The Content-Security-Policy allows the style's
/// origin and <see cref="Origins"/> in <c>connect-src</c> and <c>img-src</c> only when a style is configured.
/// </summary>
public sealed class MapOptions : IValidatableObject
{
    public const string Section = "InclusionMap:Map";

    public const int MaxAttributionLength = 300;

    /// <summary>The address of a MapLibre style document (JSON, style specification version 8): absolute http(s).</summary>
    public string? StyleUrl { get; set; }

    /// <summary>The credit the style's licence asks for, shown on every map (required with <see cref="StyleUrl"/>).</summary>
    public string? Attribution { get; set; }

    /// <summary>Other origins the style loads from (its tiles, sprites, fonts), written <c>https://host[:port]</c>.</summary>
    public List<string> Origins { get; set; } = [];

    public bool Configured => !string.IsNullOrWhiteSpace(StyleUrl);

    /// <summary>The origins the browser must reach for the style: its own and <see cref="Origins"/> (none when unset).</summary>
    public IReadOnlyList<string> CspOrigins => Configured
        ? [.. Origins.Select(o => EmbedOptions.Origin(o)!).Prepend(new Uri(StyleUrl!).GetLeftPart(UriPartial.Authority)).Distinct()]
        : [];

    /// <summary>Refuses at start a style address that is not http(s), a style without its credit and origins that are not bare.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Configured && SchemaV1Validator.LinkProblem(StyleUrl!) is { } problem)
            yield return new ValidationResult($"'{StyleUrl}': {problem}.", [nameof(StyleUrl)]);
        if (Configured && string.IsNullOrWhiteSpace(Attribution))
            yield return new ValidationResult(
                "the style's credit (e.g. « © IGN » or « © les contributeurs d'OpenStreetMap ») is required with a style.",
                [nameof(Attribution)]);
        if (Attribution is { } a && (a.Length > MaxAttributionLength || a.Any(char.IsControl)))
            yield return new ValidationResult(
                $"at most {MaxAttributionLength} characters, without control characters.", [nameof(Attribution)]);
        var bad = Origins.Where(o => EmbedOptions.Origin(o) is null).Select(o => $"'{o}'").ToList();
        if (bad.Count > 0)
            yield return new ValidationResult(
                $"{string.Join(", ", bad)} is not an origin such as https://data.geopf.fr (scheme, host, optional port; no path).",
                [nameof(Origins)]);
    }
}
