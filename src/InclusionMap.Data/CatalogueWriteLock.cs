using System.Globalization;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace InclusionMap.Data;

/// <summary>
/// The one lock that serialises every bulk writer of the catalogue: imports (the seed is one), dedup runs, and later the
/// sync from producers. It is a PostgreSQL session advisory lock on <see cref="Key"/>, so every process on every machine
/// that shares the database agrees through it; it is taken on the connection that does the work and held until
/// <see cref="DisposeAsync"/> (after the import's commit and its re-sort), or until that session ends if the process dies.
/// While it holds the lock, the session's <c>application_name</c> says who holds it (what, process id, since when): a run
/// that has to wait reads it from <c>pg_stat_activity</c> and says what it waits for.
/// </summary>
public sealed class CatalogueWriteLock : IAsyncDisposable
{
    /// <summary>The advisory lock key: "InclMapW" in ASCII, so <c>pg_locks</c> shows it as classid 1231971180, objid 1298231383.</summary>
    public const long Key = 0x496E_636C_4D61_7057;

    private readonly NpgsqlConnection _connection;

    private CatalogueWriteLock(NpgsqlConnection connection) => _connection = connection;

    /// <summary>
    /// Takes the lock on <paramref name="connection"/> (open, outside any transaction) for <paramref name="what"/>
    /// (<c>import</c>, <c>dedup</c>, …). When another run holds it: with <paramref name="wait"/>, logs who and waits (the
    /// wait ends with <paramref name="ct"/>); without, throws <see cref="CatalogueBusyException"/>.
    /// </summary>
    public static async Task<CatalogueWriteLock> AcquireAsync(NpgsqlConnection connection, string what, bool wait, ILogger log, CancellationToken ct)
    {
        if (await ExecuteAsync(connection, $"SELECT pg_try_advisory_lock({Key})", null, ct) is not true)
        {
            var holder = await HolderAsync(connection, ct);
            if (!wait) throw new CatalogueBusyException($"another import or dedup is running ({holder}); try again once it has finished.");
            log.LogWarning("Waiting for another import/dedup to finish ({Holder})", holder);
            await ExecuteAsync(connection, $"SELECT pg_advisory_lock({Key})", null, ct);
        }
        var name = string.Create(CultureInfo.InvariantCulture, $"inclusionmap {what}, pid {Environment.ProcessId}, started {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss}Z");
        await ExecuteAsync(connection, "SELECT set_config('application_name', $1, false)", name, ct);
        return new CatalogueWriteLock(connection);
    }

    /// <summary>Who holds the lock, as a waiting run describes it.</summary>
    private static async Task<string> HolderAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"""
            SELECT a.application_name, a.pid, a.backend_start, host(a.client_addr)
              FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
             WHERE l.locktype = 'advisory' AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
               AND l.classid::int8 = {Key >> 32} AND l.objid::int8 = {Key & 0xFFFF_FFFF} AND l.objsubid = 1
            """, connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) return "it has just finished";
        var from = reader.IsDBNull(3) ? "" : $" from {reader.GetString(3)}";
        return reader.GetString(0) is { } name && name.StartsWith("inclusionmap ", StringComparison.Ordinal)
            ? name + from
            : string.Create(CultureInfo.InvariantCulture, $"PostgreSQL backend {reader.GetInt32(1)}{from}, connected {reader.GetDateTime(2):yyyy-MM-dd HH:mm:ss}Z");
    }

    private static async Task<object?> ExecuteAsync(NpgsqlConnection connection, string sql, string? parameter, CancellationToken ct)
    {
        // No command timeout: waiting for the lock may take as long as the other run.
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        if (parameter is not null) command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        return await command.ExecuteScalarAsync(ct);
    }

    /// <summary>Releases the lock and gives the session its own name back. A broken session has released it already.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_connection.FullState != System.Data.ConnectionState.Open) return;
        try
        {
            await using var command = new NpgsqlCommand($"RESET application_name; SELECT pg_advisory_unlock({Key})", _connection);
            await command.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (NpgsqlException)
        {
        }
    }
}
