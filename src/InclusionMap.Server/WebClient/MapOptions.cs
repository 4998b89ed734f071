using InclusionMap.Core.Schema;
using Microsoft.Extensions.Options;

namespace InclusionMap.Server.WebClient;

/// <summary>
/// The background of every map (configuration section <c>InclusionMap:Map</c>): a MapLibre style such as an IGN or
/// OpenStreetMap vector or raster style, drawn under our own layers. Unset (the default), or unreachable from the
/// browser, the maps draw the commune outlines of our own vector tiles. The Content-Security-Policy allows the style's
/// origin and <see cref="Origins"/> in <c>connect-src</c> and <c>img-src</c> only when a style is configured.
/// </summary>
public sealed class MapOptions
{
    public const string Section = "InclusionMap:Map";

    /// <summary>The address of a MapLibre style document (JSON, style specification version 8): absolute http(s).</summary>
    public string? StyleUrl { get; set; }

    /// <summary>The credit the style's licence asks for, shown on every map (required with <see cref="StyleUrl"/>).</summary>
    public string? Attribution { get; set; }

    /// <summary>Other origins the style loads from (its tiles, sprites, fonts), written <c>https://host[:port]</c>.</summary>
    public List<string> Origins { get; set; } = [];

    public const int MaxAttributionLength = 300;

    public bool Configured => !string.IsNullOrWhiteSpace(StyleUrl);

    /// <summary>The origins the browser must reach for the style: its own and <see cref="Origins"/> (none when unset).</summary>
    public IReadOnlyList<string> CspOrigins => Configured
        ? [.. Origins.Select(o => EmbedOptions.Origin(o)!).Prepend(new Uri(StyleUrl!).GetLeftPart(UriPartial.Authority)).Distinct()]
        : [];

    /// <summary>Refuses at start a style address that is not http(s), a style without its credit and origins that are not bare.</summary>
    public sealed class Validator : IValidateOptions<MapOptions>
    {
        public ValidateOptionsResult Validate(string? name, MapOptions options)
        {
            var errors = new List<string>();
            if (options.Configured)
            {
                if (SchemaV1Validator.LinkProblem(options.StyleUrl!) is { } problem)
                    errors.Add($"{Section}:StyleUrl: '{options.StyleUrl}': {problem}.");
                if (string.IsNullOrWhiteSpace(options.Attribution))
                    errors.Add($"{Section}:Attribution: the style's credit (e.g. « © IGN » or « © les contributeurs d'OpenStreetMap ») is required with a style.");
            }
            if (options.Attribution is { } a && (a.Length > MaxAttributionLength || a.Any(char.IsControl)))
                errors.Add($"{Section}:Attribution: at most {MaxAttributionLength} characters, without control characters.");
            var bad = options.Origins.Where(o => EmbedOptions.Origin(o) is null).Select(o => $"'{o}'").ToList();
            if (bad.Count > 0)
                errors.Add($"{Section}:Origins: {string.Join(", ", bad)} is not an origin such as https://data.geopf.fr (scheme, host, optional port; no path).");
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}
