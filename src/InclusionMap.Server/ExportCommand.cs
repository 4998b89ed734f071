using InclusionMap.Data;
using InclusionMap.Data.Export;
using InclusionMap.Server.Catalogue;

namespace InclusionMap.Server;

/// <summary>
/// <c>inclusionmap export --format schema-v1-csv|schema-v1-json|geojson [--departement N] [--out FILE]</c>: the catalogue
/// as open data, streamed from the database to stdout or FILE.
/// </summary>
public static class ExportCommand
{
    public static async Task<int> RunAsync(CommandLine line)
    {
        ExportFormat format;
        try
        {
            format = CatalogueExporter.ParseFormat(line.Get("--format") ?? throw new UsageException("export needs --format schema-v1-csv, schema-v1-json or geojson."));
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
        var settings = CatalogueSettings.From(configuration, line);
        using var loggerFactory = CommandDatabase.Logging();
        var log = loggerFactory.CreateLogger("export");
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
        var outPath = line.Get("--out");
        try
        {
            await using var database = await CommandDatabase.OpenAsync(settings, log, cancel.Token);
            await using var db = CatalogueDatabase.CreateContext(database.DataSource);
            // Write beside the target, then move: an interrupted export never leaves a half file under the final name.
            var temporary = outPath is null ? null : outPath + ".partial";
            int count;
            await using (var output = temporary is null ? Console.OpenStandardOutput() : File.Create(temporary))
                count = await CatalogueExporter.WriteAsync(CatalogueExporter.Sites(db, line.Get("--departement")), output, format, cancel.Token);
            if (temporary is not null) File.Move(temporary, outPath!, overwrite: true);
            Console.Error.WriteLine($"exported {count} sites{(outPath is null ? "" : " to " + outPath)}");
            return 0;
        }
        catch (Exception e) when (e is StateDirectoryInUseException or IOException or UnauthorizedAccessException or Npgsql.NpgsqlException)
        {
            Console.Error.WriteLine($"export: {e.Message}");
            return 1;
        }
        catch (OperationCanceledException)
        {
            if (outPath is not null) File.Delete(outPath + ".partial");
            Console.Error.WriteLine("export: cancelled.");
            return 130;
        }
    }
}
