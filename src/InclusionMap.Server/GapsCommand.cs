using InclusionMap.Data;
using InclusionMap.Data.Analysis;
using InclusionMap.Server.Catalogue;
using InclusionMap.Server.Coverage;

namespace InclusionMap.Server;

/// <summary>
/// <c>inclusionmap gaps --departement N [--services …] [--max-distance M] [--suggest P] [--format table|csv|geojson|png] [--out FILE]</c>:
/// the coverage-gap analysis a coordinator reads (summary, ranked gaps, suggested sites) or loads into a spreadsheet/GIS.
/// </summary>
public static class GapsCommand
{
    public static async Task<int> RunAsync(CommandLine line)
    {
        CoverageRequest request;
        try
        {
            request = CoverageRequests.Parse(line.Get("--departement"), line.Get("--communes"), line.Get("--services"), line.Get("--max-distance"), line.Get("--suggest"), allowWholeCountry: true);
        }
        catch (ArgumentException e)
        {
            throw new UsageException("gaps: " + e.Message);
        }
        var format = line.Get("--format") ?? "table";
        if (format is not ("table" or "csv" or "geojson" or "png")) throw new UsageException($"gaps: unknown --format '{format}' (table, csv, geojson or png).");
        if (format == "png" && line.Get("--out") is null) throw new UsageException("gaps: --format png needs --out FILE.");
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
        var settings = CatalogueSettings.From(configuration, line);
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
                await File.WriteAllBytesAsync(line.Get("--out")!, await CoverageMap.RenderAsync(database.DataSource, result, title, cancel.Token), cancel.Token);
                return 0;
            }
            var text = format switch
            {
                "csv" => CoverageReports.Csv(result),
                "geojson" => CoverageReports.GeoJson(result),
                _ => CoverageReports.Table(result),
            };
            if (line.Get("--out") is { } path) await File.WriteAllTextAsync(path, text, cancel.Token);
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
