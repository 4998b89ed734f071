using System.Globalization;
using InclusionMap.Data;
using InclusionMap.Server.Catalogue;
using Microsoft.Extensions.Options;

namespace InclusionMap.Server.Sources;

/// <summary>
/// With the embedded cluster, a backup a day: once the catalogue is ready, and then every hour, when
/// <c>&lt;state&gt;/backups/</c> has no dump of today (UTC) it writes <c>catalogue-YYYY-MM-DD.dump</c>
/// (<see cref="CatalogueBackup"/>), and keeps the newest <see cref="LivingCatalogueOptions.BackupsKept"/>.
/// </summary>
public sealed class DailyBackups(CatalogueSettings settings, CatalogueState state, IOptions<LivingCatalogueOptions> options,
    ILogger<DailyBackups> log) : BackgroundService
{
    public const string Prefix = "catalogue-", Extension = ".dump";

    public string Directory => Path.Combine(settings.StateDirectory, "backups");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!settings.Embedded || !options.Value.DailyBackups) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            if (state.Ready)
            {
                try
                {
                    await BackUpTodayAsync(stoppingToken);
                }
                catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException)
                {
                    log.LogWarning("Daily backup failed: {Reason}; tried again within the hour", e.Message);
                }
            }
            await Task.Delay(state.Ready ? TimeSpan.FromHours(1) : TimeSpan.FromSeconds(5), stoppingToken)
                .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task BackUpTodayAsync(CancellationToken ct)
    {
        if (OperatingSystem.IsWindows()) System.IO.Directory.CreateDirectory(Directory);
        else System.IO.Directory.CreateDirectory(Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var today = Path.Combine(Directory, Prefix + DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + Extension);
        if (File.Exists(today)) return;
        await CatalogueBackup.BackupAsync(settings.EffectiveConnectionString, today, ct);
        log.LogInformation("Daily backup written to {File}", today);
        foreach (var old in System.IO.Directory.GetFiles(Directory, Prefix + "*" + Extension).Order(StringComparer.Ordinal).Reverse()
                     .Skip(options.Value.BackupsKept))
            File.Delete(old);
    }
}
