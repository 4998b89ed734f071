using System.Globalization;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace InclusionMap.Data;

/// <summary>
/// The one lock that serialises every bulk writer of the catalogue: imports (the seed is one), dedup runs, and later the
/// sync from producers. It is a PostgreSQL advisory lock on <see cref="Key"/>, so every process on every machine that
/// shares the database agrees through it. It is scoped to the writer's transaction: the commit or rollback releases it,
/// and so does a dying process's session, so it cannot outlive its run, not even on a pooled connection or behind
/// PgBouncer in transaction mode. For as long as it holds the lock, the transaction's <c>application_name</c> says who
/// holds it (what, process id, since when): a run that has to wait reads it from <c>pg_stat_activity</c> and says what
/// it waits for.
/// </summary>
public static class CatalogueWriteLock
{
    /// <summary>The advisory lock key: "InclMapW" in ASCII, so <c>pg_locks</c> shows it as classid 1231971180, objid 1298231383.</summary>
    public const long Key = 0x496E_636C_4D61_7057;

    /// <summary>
    /// Takes the lock in <paramref name="transaction"/> for <paramref name="what"/> (<c>import</c>, <c>dedup</c>, …), until
    /// it ends. When another run holds it: with <paramref name="wait"/>, logs who and waits (the wait ends with
    /// <paramref name="ct"/>); without, throws <see cref="CatalogueBusyException"/>.
    /// </summary>
    public static async Task AcquireAsync(NpgsqlTransaction transaction, string what, bool wait, ILogger log, CancellationToken ct)
    {
        if (!await TryAcquireAsync(transaction, what, ct))
        {
            var holder = await HolderAsync(transaction, ct);
            if (!wait) throw new CatalogueBusyException($"another import or dedup is running ({holder}); try again once it has finished.");
            log.LogWarning("Waiting for another import/dedup to finish ({Holder})", holder);
            await ExecuteAsync(transaction, $"SELECT pg_advisory_xact_lock({Key})", null, ct);
            await NameAsync(transaction, what, ct);
        }
    }

    /// <summary>Takes the lock in <paramref name="transaction"/> if no other run holds it; false otherwise.</summary>
    public static async Task<bool> TryAcquireAsync(NpgsqlTransaction transaction, string what, CancellationToken ct)
    {
        if (await ExecuteAsync(transaction, $"SELECT pg_try_advisory_xact_lock({Key})", null, ct) is not true) return false;
        await NameAsync(transaction, what, ct);
        return true;
    }

    /// <summary>Names the holder until the transaction ends (then the session's own name comes back).</summary>
    private static Task NameAsync(NpgsqlTransaction transaction, string what, CancellationToken ct) =>
        ExecuteAsync(transaction, "SELECT set_config('application_name', $1, true)", string.Create(CultureInfo.InvariantCulture,
            $"inclusionmap {what}, pid {Environment.ProcessId}, started {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss}Z"), ct);

    /// <summary>Who holds the lock, as a waiting run describes it.</summary>
    private static async Task<string> HolderAsync(NpgsqlTransaction transaction, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"""
            SELECT a.application_name, a.pid, a.backend_start, host(a.client_addr)
              FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
             WHERE l.locktype = 'advisory' AND l.granted
               AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
               AND l.classid::int8 = {Key >> 32} AND l.objid::int8 = {Key & 0xFFFF_FFFF} AND l.objsubid = 1
            """, transaction.Connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) return "it has just finished";
        var from = reader.IsDBNull(3) ? "" : $" from {reader.GetString(3)}";
        return reader.GetString(0) is var name && name.StartsWith("inclusionmap ", StringComparison.Ordinal)
            ? name + from
            : string.Create(CultureInfo.InvariantCulture,
                $"PostgreSQL backend {reader.GetInt32(1)}{from}, connected {reader.GetDateTime(2):yyyy-MM-dd HH:mm:ss}Z");
    }

    private static async Task<object?> ExecuteAsync(NpgsqlTransaction transaction, string sql, string? parameter, CancellationToken ct)
    {
        // No command timeout: waiting for the lock may take as long as the other run.
        await using var command = new NpgsqlCommand(sql, transaction.Connection, transaction) { CommandTimeout = 0 };
        if (parameter is not null) command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        return await command.ExecuteScalarAsync(ct);
    }
}
