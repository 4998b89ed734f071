using Npgsql;

namespace InclusionMap.Server.Tiles;

/// <summary>
/// A number that changes whenever the catalogue changes (the latest import run or history row), polled every few seconds so that tiles
/// and coverage analyses cached in this process, and the tiles' ETags, follow imports made by other processes.
/// </summary>
public sealed class CatalogueVersion(NpgsqlDataSource db, Catalogue.CatalogueState state, ILogger<CatalogueVersion> log) : BackgroundService
{
    private long _current = -1;

    /// <summary>The version last read; -1 until the first read.</summary>
    public long Current => Interlocked.Read(ref _current);

    /// <summary>The version, read now if it never was (the first requests can come before the first poll).</summary>
    public async ValueTask<long> CurrentAsync(CancellationToken ct)
    {
        if (Current < 0) await RefreshAsync(ct);
        return Current;
    }

    /// <summary>Reads the version now (the poll does every few seconds).</summary>
    public async Task RefreshAsync(CancellationToken ct = default)
    {
        // Imports add a run; edits and accepted suggestions add history rows (both only grow, so their sum does too).
        await using var command = db.CreateCommand(
            "SELECT COALESCE((SELECT max(id) FROM import_runs), 0) + COALESCE((SELECT max(id) FROM site_history), 0)");
        Interlocked.Exchange(ref _current, (long)(await command.ExecuteScalarAsync(ct))!);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            if (state.Ready)
            {
                try
                {
                    await RefreshAsync(stoppingToken);
                }
                catch (NpgsqlException e)
                {
                    log.LogWarning("Catalogue version check failed: {Message}", e.Message);
                }
            }
            await Task.Delay(TimeSpan.FromSeconds(state.Ready ? 10 : 1), stoppingToken)
                .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }
}
