using System.CommandLine;
using InclusionMap.Data;
using InclusionMap.Data.Analysis;
using InclusionMap.Server.Catalogue;
using InclusionMap.Server.Coverage;

namespace InclusionMap.Server.Cli;

/// <summary>
/// <c>inclusionmap gaps --departement N [--services …] [--programmes …] [--max-distance M] [--suggest P]
/// [--format table|csv|geojson|png] [--out FILE]</c>: the coverage-gap analysis a coordinator reads (summary, ranked
/// gaps, suggested sites) or loads into a spreadsheet/GIS.
/// </summary>
public static class GapsCommand
{
    public static Command Create(GlobalOptions global)
    {
        var departement = new Option<string?>("--departement")
        {
            Description = "The département to study (or --communes; \"all\" for the whole country)",
        };
        var communes = new Option<string?>("--communes") { Description = "Any set of communes (INSEE codes, comma-separated)" };
        var services = new Option<string?>("--services")
        {
            Description = "What counts as help: official labels of services, comma-separated, "
                + "e.g. \"Aide aux démarches administratives\" (all sites when absent)",
        };
        var programmes = new Option<string?>("--programmes")
        {
            Description = "… and only the sites of these national programmes: official labels, comma-separated, e.g. \"France Services\"",
        };
        var maxDistance = new Option<string?>("--max-distance")
        {
            Description = "Distance beyond which people are far from help, metres (default 10000)",
        };
        var suggest = new Option<string?>("--suggest") { Description = "How many new sites to suggest (default 3, at most 20)" };
        var format = new Option<string>("--format")
        {
            Description = "table, csv (every commune), geojson (communes with their figures) or png (the printable map; needs --out)",
            DefaultValueFactory = _ => "table",
        };
        format.AcceptOnlyFromAmong("table", "csv", "geojson", "png");
        var output = new Option<string?>("--out") { Description = "Write to this file (default: standard output)" };
        var command = new Command("gaps", "Coverage-gap analysis for coordinators (docs/coverage.md)")
        {
            departement, communes, services, programmes, maxDistance, suggest, format, output,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(format) == "png" && result.GetValue(output) is null) result.AddError("--format png needs --out FILE.");
        });
        command.SetAction(parse =>
        {
            CoverageRequest request;
            try
            {
                request = CoverageRequests.Parse(parse.GetValue(departement), parse.GetValue(communes), parse.GetValue(services),
                    parse.GetValue(maxDistance), parse.GetValue(suggest), allowWholeCountry: true, parse.GetValue(programmes));
            }
            catch (ArgumentException e)
            {
                throw new UsageException("gaps: " + e.Message);
            }
            return RunAsync(global.Catalogue(parse), request, parse.GetValue(format)!, parse.GetValue(output));
        });
        return command;
    }

    private static async Task<int> RunAsync(CatalogueSettings settings, CoverageRequest request, string format, string? outPath)
    {
        using var loggerFactory = CommandDatabase.Logging();
        var log = loggerFactory.CreateLogger("gaps");
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
        try
        {
            await using var database = await CommandDatabase.OpenAsync(settings, log, cancel.Token);
            var result = await new CoverageAnalysis(database.DataSource).RunAsync(request, cancel.Token);
            if (format == "png" && request.WholeCountry) throw new UsageException("gaps: the printable map is drawn for one département.");
            if (format == "png")
            {
                var title = await CoverageApi.TitleAsync(database.DataSource, request.DepartementCode ?? "", cancel.Token);
                await File.WriteAllBytesAsync(outPath!,
                    await CoverageMap.RenderAsync(database.DataSource, result, title, cancel.Token), cancel.Token);
                return 0;
            }
            var text = format switch
            {
                "csv" => CoverageReports.Csv(result),
                "geojson" => CoverageReports.GeoJson(result),
                _ => CoverageReports.Table(result),
            };
            if (outPath is { } path) await File.WriteAllTextAsync(path, text, cancel.Token);
            else Console.Out.Write(text);
            return 0;
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"gaps: {e.Message}");
            return 2;
        }
        catch (Exception e) when (e is StateDirectoryInUseException or IOException or Npgsql.NpgsqlException)
        {
            Console.Error.WriteLine($"gaps: {e.Message}");
            return 1;
        }
    }
}
