using System.Diagnostics;
using System.Globalization;
using InclusionMap.Data;
using InclusionMap.Data.Import;
using Microsoft.EntityFrameworkCore;

namespace InclusionMap.Bench;

/// <summary>
/// Import throughput of the whole open-data directory into a fresh, durable private cluster (as a user's first start):
/// rows per second per file, the territories and the places, and the total.
/// </summary>
public static class ImportBenchmark
{
    public static async Task<IReadOnlyList<string[]>> RunAsync(string dataDirectory)
    {
        var state = Directory.CreateTempSubdirectory("inclusionmap-bench-").FullName;
        if (Environment.IsPrivilegedProcess) Process.Start("chmod", ["755", state])!.WaitForExit();
        await using var cluster = await PostgresCluster.StartAsync(new PostgresClusterOptions(state));
        await cluster.EnsureDatabaseAsync("bench");
        await using var dataSource = CatalogueDatabase.CreateDataSource(cluster.ConnectionString("bench"));
        await using (var db = CatalogueDatabase.CreateContext(dataSource)) await db.Database.MigrateAsync();

        var rows = new List<string[]>();
        var total = Stopwatch.StartNew();
        var files = CatalogueSeeder.SeedFiles(dataDirectory);
        var report = await new CatalogueImporter(dataSource).ImportAsync(files);
        total.Stop();
        foreach (var file in report.Files)
            rows.Add([Path.GetFileName(file.File), file.Format, file.Read.ToString("N0", CultureInfo.InvariantCulture),
                (file.ElapsedMilliseconds / 1000.0).ToString("0.00", CultureInfo.InvariantCulture) + " s",
                (file.Read / Math.Max(0.001, file.ElapsedMilliseconds / 1000.0)).ToString("N0", CultureInfo.InvariantCulture) + " rows/s"]);
        var places = report.Files.Where(f => ImportFormats.Parse(f.Format).IsPlaces()).Sum(f => f.Read);
        rows.Add(["all files (one transaction)", "seed", report.Read.ToString("N0", CultureInfo.InvariantCulture),
            total.Elapsed.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + " s",
            (report.Read / total.Elapsed.TotalSeconds).ToString("N0", CultureInfo.InvariantCulture) + " rows/s"]);

        // Places alone, timed separately: re-importing into a database holding only the territories.
        await using (var db = CatalogueDatabase.CreateContext(dataSource))
        {
            await db.Database.ExecuteSqlRawAsync("TRUNCATE sites, site_sources CASCADE");
            // Fresh statistics for the emptied tables: with the full catalogue's, the planner once chose a plan for the
            // territory resolution that outran the command timeout (an import never empties the tables itself).
            await db.Database.ExecuteSqlRawAsync("ANALYZE sites, site_sources");
        }
        var placesWatch = Stopwatch.StartNew();
        await new CatalogueImporter(dataSource)
            .ImportAsync(CatalogueSeeder.PlacesFiles(dataDirectory).Select(f => new ImportFile(f)).ToList());
        placesWatch.Stop();
        rows.Add(["places files only", "6 places files", places.ToString("N0", CultureInfo.InvariantCulture),
            placesWatch.Elapsed.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + " s",
            (places / placesWatch.Elapsed.TotalSeconds).ToString("N0", CultureInfo.InvariantCulture) + " rows/s"]);

        await cluster.StopAsync();
        Directory.Delete(state, recursive: true);
        return rows;
    }
}
