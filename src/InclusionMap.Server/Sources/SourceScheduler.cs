using InclusionMap.Data;
using InclusionMap.Data.Import;
using InclusionMap.Data.Sources;
using InclusionMap.Server.Catalogue;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace InclusionMap.Server.Sources;

/// <summary>
/// Runs the sources' syncs when their schedules say (<see cref="SourceRegistry.NextDue"/>): every
/// <see cref="LivingCatalogueOptions.SyncCheckSeconds"/> it looks for due sources and syncs them one after the other.
/// Another server of the deployment syncing meanwhile holds the sync lock: this one leaves it the round. A sync that
/// fails is not retried before its next scheduled time (the source says why); nothing here stops the server.
/// </summary>
public sealed class SourceScheduler(
    CatalogueDataSources dataSources,
    CatalogueState state,
    CatalogueSettings settings,
    IConfiguration configuration,
    IOptions<LivingCatalogueOptions> options,
    ILogger<SourceScheduler> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.ScheduledSyncs) return;
        using var http = RemoteFile.CreateHttpClient();
        var sync = new SourceSync(dataSources.Primary, http, log);
        while (!stoppingToken.IsCancellationRequested)
        {
            if (state.Ready) await RoundAsync(sync, stoppingToken);
            await Task.Delay(TimeSpan.FromSeconds(options.Value.SyncCheckSeconds), stoppingToken)
                .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>Syncs the due sources one after the other.</summary>
    private async Task RoundAsync(SourceSync sync, CancellationToken ct)
    {
        try
        {
            foreach (var name in await DueAsync(ct))
            {
                try
                {
                    await sync.SyncAsync(name, SyncOptions(), ct);
                }
                catch (CatalogueBusyException)
                {
                    log.LogInformation("Another server is syncing: source {Source} waits for the next round", name);
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or ArgumentException or InvalidOperationException or IOException)
        {
            log.LogError(e, "Scheduled sync failed; the next round tries again");
        }
    }

    /// <summary>The sources whose next scheduled time has come, the most overdue first.</summary>
    private async Task<List<string>> DueAsync(CancellationToken ct)
    {
        await using var db = CatalogueDatabase.CreateContext(dataSources.Primary);
        var now = DateTimeOffset.UtcNow;
        return (await db.Sources.AsNoTracking().Where(s => s.RemovedAt == null && s.Schedule != null).ToListAsync(ct))
            .Select(s => (s.Name, Due: SourceRegistry.NextDue(s)))
            .Where(s => s.Due <= now).OrderBy(s => s.Due).Select(s => s.Name).ToList();
    }

    private SyncOptions SyncOptions() => new()
    {
        Wait = false,
        DataDirectory = settings.DataDirectory,
        Download = configuration.GetSection(DownloadOptions.SectionName).Get<DownloadOptions>() ?? new DownloadOptions(),
    };
}
