using System.Diagnostics;
using InclusionMap.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace InclusionMap.Server.Catalogue;

/// <summary>
/// Brings the catalogue up: the private cluster and its roles first (synchronously, before Kestrel listens, so a state
/// directory in use fails the start at once), then migrations and the seed as the owner role in the background while
/// <c>/health</c> answers 503, and a warning if the API's connection could write (an external database without a
/// read-only role).
/// On shutdown (Ctrl-C, SIGTERM) the host stops Kestrel first, then this service stops the private cluster.
/// </summary>
public sealed class CatalogueStartup(
    CatalogueSettings settings,
    CatalogueState state,
    CatalogueDataSources dataSources,
    IHostApplicationLifetime lifetime,
    ILogger<CatalogueStartup> log) : IHostedService
{
    private PostgresCluster? _cluster;
    private Task? _background;
    private readonly CancellationTokenSource _stopping = new();

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (settings.Embedded)
        {
            state.Enter("starting-database");
            _cluster = await PostgresCluster.StartAsync(settings.ClusterOptions, log, cancellationToken);
            await CatalogueRoles.PrepareAsync(_cluster, CatalogueSettings.DatabaseName, settings.ReaderStatementTimeout, cancellationToken);
        }
        _background = Task.Run(() => PrepareAsync(_stopping.Token), CancellationToken.None);
    }

    private async Task PrepareAsync(CancellationToken cancellationToken)
    {
        try
        {
            state.Enter("migrating");
            var dataSource = dataSources.Primary;
            await MigrateAsync(dataSource, cancellationToken);
            if (_cluster is not null) await CatalogueRoles.GrantReadsAsync(_cluster, CatalogueSettings.DatabaseName, cancellationToken);
            await using (var db = CatalogueDatabase.CreateContext(dataSource))
                if (await Data.Sources.SourceRegistry.DeclareAsync(db, cancellationToken) is > 0 and var declared)
                    log.LogInformation("Following {Count} sources declared in data/sources.json", declared);
            if (settings.Seed)
            {
                if (settings.DataDirectory is null)
                    log.LogWarning("No open-data directory found (set INCLUSIONMAP_DATA or --data): an empty catalogue stays empty");
                else
                {
                    state.Enter("seeding");
                    var watch = Stopwatch.StartNew();
                    var report = await new CatalogueSeeder(dataSource, log).SeedIfEmptyAsync(settings.DataDirectory, cancellationToken);
                    if (report is not null)
                        log.LogInformation("Seeded in {Seconds:0.0} s: {Summary}", watch.Elapsed.TotalSeconds, report.Summary);
                }
            }
            // The read data source may have connected before the migration created PostGIS types: refresh them.
            if (dataSources.SeparateReads) await dataSources.Reads.ReloadTypesAsync(cancellationToken);
            var writeAccess = await CatalogueRoles.FindWriteAccessAsync(dataSources.Reads, cancellationToken);
            if (writeAccess.Count > 0)
                log.LogWarning("The API's database connection can write ({Reasons}): give it a read-only role, see docs/security.md",
                    string.Join("; ", writeAccess));
            state.Enter("ready");
            log.LogInformation("InclusionMap is ready");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            state.Fail(e);
            log.LogCritical(e, "The catalogue could not be prepared; stopping");
            lifetime.StopApplication();
        }
    }

    /// <summary>Applies the EF Core migrations (they create the PostGIS extension, tables and indexes).</summary>
    public static async Task MigrateAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        if (await CatalogueDatabase.IsSchemaCurrentAsync(dataSource, cancellationToken)) return;
        await using var db = CatalogueDatabase.CreateContext(dataSource);
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(5));
        await db.Database.MigrateAsync(cancellationToken);
        // The extension may have been created by this migration: make the open connections learn its types.
        await dataSource.ReloadTypesAsync(cancellationToken);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        if (_background is not null)
            await _background.WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None)
                .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        NpgsqlConnection.ClearAllPools();
        if (_cluster is not null) await _cluster.StopAsync();
    }
}
