using System.CommandLine;
using InclusionMap.Data;
using InclusionMap.Data.Export;
using InclusionMap.Server.Catalogue;

namespace InclusionMap.Server.Cli;

/// <summary>
/// <c>inclusionmap export --format schema-v1-csv|schema-v1-json|geojson [--departement N] [--out FILE]</c>: the catalogue
/// as open data, streamed from the database to stdout or FILE.
/// </summary>
public static class ExportCommand
{
    public static Command Create(GlobalOptions global)
    {
        var format = new Option<string>("--format")
        {
            Description = "schema-v1-csv, schema-v1-json or geojson (RFC 7946)",
            Required = true,
        };
        format.AcceptOnlyFromAmong("schema-v1-csv", "schema-v1-json", "geojson");
        var departement = new Option<string?>("--departement") { Description = "Only the sites of this département" };
        var output = new Option<string?>("--out") { Description = "Write to this file (default: standard output)" };
        var command = new Command("export", "Write the catalogue as open data (to stdout, or --out FILE)") { format, departement, output };
        command.SetAction(parse => RunAsync(global.Catalogue(parse), CatalogueExporter.ParseFormat(parse.GetValue(format)!),
            parse.GetValue(departement), parse.GetValue(output)));
        return command;
    }

    private static async Task<int> RunAsync(CatalogueSettings settings, ExportFormat format, string? departement, string? outPath)
    {
        using var loggerFactory = CommandDatabase.Logging();
        var log = loggerFactory.CreateLogger("export");
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
        try
        {
            await using var database = await CommandDatabase.OpenAsync(settings, log, cancel.Token);
            await using var db = CatalogueDatabase.CreateContext(database.DataSource);
            // Write beside the target, then move: an interrupted export never leaves a half file under the final name.
            var temporary = outPath is null ? null : outPath + ".partial";
            int count;
            await using (var output = temporary is null ? Console.OpenStandardOutput() : File.Create(temporary))
                count = await CatalogueExporter.WriteAsync(CatalogueExporter.Sites(db, departement), output, format, cancel.Token);
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
