using InclusionMap.Data.Import;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace InclusionMap.Data;

/// <summary>
/// Fills an empty catalogue from the open-data directory: territories (régions, départements, the simplified national
/// commune polygons, population, census indicators, commune codes), then every places file in <c>lieux/</c>.
/// Files are found by pattern so that newer releases with new dates are picked up.
/// </summary>
public sealed class CatalogueSeeder(NpgsqlDataSource dataSource, ILogger? log = null)
{
    private readonly ILogger _log = log ?? NullLogger.Instance;

    private static readonly (string Folder, string Pattern, string What)[] TerritoryFiles =
    [
        ("communes", "*_regions.json", "régions"),
        ("communes", "*_departements.json", "départements"),
        ("geo", "departements*.geojson", "département polygons"),
        ("geo", "communes-france-*simplified*.geojson", "commune polygons (simplified national file)"),
        ("communes", "communes-*-population.csv", "commune population and EPCI"),
        ("communes", "*indicateurs*.csv", "census indicators"),
        ("communes", "*_communes.json", "commune codes"),
        ("ifn", "ifn-city-*.csv", "Indice de Fragilité Numérique per commune"),
    ];

    /// <summary>The files of a full seed, in load order.</summary>
    public static IReadOnlyList<ImportFile> SeedFiles(string dataDirectory)
    {
        var files = new List<ImportFile>();
        foreach (var (folder, pattern, what) in TerritoryFiles)
        {
            var dir = Path.Combine(dataDirectory, folder);
            var match = Directory.Exists(dir) ? Directory.GetFiles(dir, pattern).Order(StringComparer.Ordinal).LastOrDefault() : null;
            files.Add(new ImportFile(match ?? throw new FileNotFoundException(
                $"Seed: no {what} file matching {folder}/{pattern} in {dataDirectory}. See data/sources.md for where it is published.")));
        }
        files.AddRange(PlacesFiles(dataDirectory).Select(f => new ImportFile(f)));
        return files;
    }

    /// <summary>Every places file (CSV or JSON) of <c>lieux/</c>; provenance notes are skipped.</summary>
    public static IReadOnlyList<string> PlacesFiles(string dataDirectory)
    {
        var dir = Path.Combine(dataDirectory, "lieux");
        if (!Directory.Exists(dir)) return [];
        return Directory.GetFiles(dir).Where(f => f.EndsWith(".json", StringComparison.OrdinalIgnoreCase)
            || f.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Whether the catalogue holds no place yet.</summary>
    public async Task<bool> IsEmptyAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT NOT EXISTS (SELECT 1 FROM sites)");
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Seeds when the catalogue is empty; returns the import report, or null when nothing was done.</summary>
    public async Task<ImportReport?> SeedIfEmptyAsync(string dataDirectory, CancellationToken cancellationToken = default)
    {
        if (!await IsEmptyAsync(cancellationToken))
        {
            _log.LogInformation("Catalogue already loaded: nothing to seed");
            // A catalogue seeded before the illectronism estimates existed gets them once.
            if (await Analysis.IllectronismEstimator.EnsureAsync(dataSource, cancellationToken) is > 0 and var estimated)
                _log.LogInformation("Estimated illectronism for {Count} communes", estimated);
            return null;
        }
        _log.LogInformation("Seeding the catalogue from {Directory}", dataDirectory);
        var report = await new CatalogueImporter(dataSource, _log).ImportAsync(SeedFiles(dataDirectory),
            cancellationToken: cancellationToken);
        await using (var db = CatalogueDatabase.CreateContext(dataSource))
        {
            await Sources.SourceRegistry.DeclareAsync(db, cancellationToken);
            await Sources.SourceRegistry.RecordImportAsync(db, report, "seeded from the local open-data directory", cancellationToken);
        }
        _log.LogInformation("Seed done: {Summary}", report.Summary);
        return report;
    }
}
