using System.Diagnostics;
using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace InclusionMap.Data;

/// <summary>
/// Runs a read again, once, on a fresh connection when the connection it used broke: the server closed it, restarted
/// or shut down, or the socket died. Never on a query error, a statement timeout or a cancellation, and only around
/// reads: a write, or a statement that may have run, is never retried.
/// <para>
/// After a PostgreSQL restart every pooled connection is dead, and each would otherwise be found dead by one request:
/// the first broken connection clears the data source's pool (<see cref="NpgsqlDataSource.Clear"/>), so the others are
/// closed instead of being handed out. The retry then waits for the database to accept connections again, up to
/// <see cref="ReadRetryOptions.ReconnectWaitSeconds"/>, so that a restart costs at most the reads it interrupted.
/// </para>
/// <para>
/// Hand-written rather than a Polly pipeline: one predicate, one retry and one bounded wait, shared by Npgsql reads and
/// EF Core's execution strategy (<see cref="ReadRetryExecutionStrategy"/>), which must be an EF strategy anyway.
/// </para>
/// </summary>
public sealed partial class ReadRetry(NpgsqlDataSource dataSource, ReadRetryOptions? options = null, ILogger<ReadRetry>? log = null)
{
    private readonly TimeSpan _reconnectWait = TimeSpan.FromSeconds((options ?? new ReadRetryOptions()).ReconnectWaitSeconds);
    private readonly ILogger _log = (ILogger?)log ?? NullLogger.Instance;

    /// <summary>The data source the reads run on, whose pool a broken connection clears.</summary>
    public NpgsqlDataSource DataSource => dataSource;

    /// <summary>
    /// Runs <paramref name="read"/>; if its connection broke, clears the pool, waits for the database (unless
    /// <paramref name="waitForServer"/> is false: health checks answer at once) and runs it once more.
    /// </summary>
    /// <param name="read">A read only: it is run twice when its connection breaks, and must build everything it sends anew.</param>
    /// <param name="ct">Cancels the read and the wait.</param>
    /// <param name="waitForServer">False to retry at once, without waiting for the database to come back.</param>
    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> read, CancellationToken ct, bool waitForServer = true)
    {
        try
        {
            return await read(ct);
        }
        catch (Exception e) when (IsBrokenConnection(e) && !ct.IsCancellationRequested)
        {
            await RecoverAsync(e, waitForServer, ct);
        }
        return await read(ct);
    }

    /// <summary>Before a retry: the pool cleared, then a wait for the database to accept a connection (bounded).</summary>
    internal async Task RecoverAsync(Exception broken, bool waitForServer, CancellationToken ct)
    {
        dataSource.Clear();
        LogBroken(_log, Reason(broken));
        if (!waitForServer || _reconnectWait <= TimeSpan.Zero) return;
        var started = Stopwatch.GetTimestamp();
        var maxDelay = TimeSpan.FromMilliseconds(500);
        for (var delay = TimeSpan.FromMilliseconds(50); ; delay = delay * 2 < maxDelay ? delay * 2 : maxDelay)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(ct);
                return;
            }
            catch (Exception e) when (IsBrokenConnection(e) && Stopwatch.GetElapsedTime(started) + delay < _reconnectWait)
            {
                await Task.Delay(delay, ct);
            }
            catch (Exception e) when (IsBrokenConnection(e))
            {
                // Still down: the retry fails with its own error, which the APIs answer as 503.
                return;
            }
        }
    }

    /// <summary>The synchronous <see cref="RecoverAsync"/>, for EF Core's synchronous queries.</summary>
    internal void Recover(Exception broken, bool waitForServer) =>
        RecoverAsync(broken, waitForServer, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>
    /// Whether <paramref name="exception"/> (or what it wraps: EF Core wraps some) says the connection broke, rather
    /// than that the statement failed: PostgreSQL ending the session (admin or crash shutdown, starting up, connection
    /// errors of class 08) or an I/O error on the socket (reset, end of stream, refused). Timeouts are not: the statement
    /// may still be running. A failed <c>SaveChanges</c> (<see cref="DbUpdateException"/>) never is.
    /// </summary>
    public static bool IsBrokenConnection(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case DbUpdateException:
                    return false;
                case PostgresException p:
                    return p.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown
                        or PostgresErrorCodes.CannotConnectNow || p.SqlState.StartsWith("08", StringComparison.Ordinal);
                case NpgsqlException { InnerException: IOException or SocketException }:
                    return true;
            }
        }
        return false;
    }

    private static string Reason(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
            if (inner is PostgresException p) return p.SqlState + " " + p.MessageText;
        return e.InnerException?.Message ?? e.Message;
    }

    [LoggerMessage(EventId = 7001, Level = LogLevel.Warning,
        Message = "A database connection broke ({Reason}): the pool is cleared and the read runs once more on a fresh connection")]
    private static partial void LogBroken(ILogger log, string reason);
}
