using System.Globalization;
using InclusionMap.Core.Schema;
using InclusionMap.Data.Analysis;

namespace InclusionMap.Server.Coverage;

/// <summary>A coverage request from option values, as the CLI and the HTTP downloads receive them.</summary>
public static class CoverageRequests
{
    /// <summary>Reads the values; a bad one throws <see cref="ArgumentException"/> naming it.</summary>
    /// <param name="departement">A département code; <c>all</c> for the whole country when <paramref name="allowWholeCountry"/>.</param>
    /// <param name="communes">Comma-separated INSEE codes.</param>
    /// <param name="services">Comma-separated official labels (case and accents ignored).</param>
    /// <param name="maxDistance">Metres.</param>
    /// <param name="suggest">How many new sites to suggest.</param>
    /// <param name="allowWholeCountry">The national run takes seconds: the command line may ask for it, HTTP may not.</param>
    /// <param name="programmes">Comma-separated official labels of national programmes (case and accents ignored).</param>
    public static CoverageRequest Parse(string? departement, string? communes, string? services, string? maxDistance, string? suggest,
        bool allowWholeCountry, string? programmes = null) => new()
    {
        DepartementCode = allowWholeCountry && departement is "all" ? null : departement,
        WholeCountry = allowWholeCountry && departement is "all",
        CommuneCodes = communes?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        Services = services?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => Vocabulary<Service>.TryParseLoose(s, out var v) ? v
                : throw new ArgumentException($"unknown service '{s}'. Use the official labels of the schema.")).ToList(),
        Programmes = programmes?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => Vocabulary<DispositifProgrammeNational>.TryParseLoose(s, out var v) ? v
                : throw new ArgumentException($"unknown national programme '{s}'. Use the official labels of the schema.")).ToList(),
        ThresholdMeters = maxDistance is null ? CoverageAnalysis.DefaultThresholdMeters
            : double.TryParse(maxDistance, NumberStyles.Float, CultureInfo.InvariantCulture, out var t) ? t
            : throw new ArgumentException($"max-distance '{maxDistance}' is not a number of metres."),
        Suggestions = suggest is null ? 3
            : int.TryParse(suggest, CultureInfo.InvariantCulture, out var p) ? p
            : throw new ArgumentException($"suggest '{suggest}' is not a whole number."),
    };
}
