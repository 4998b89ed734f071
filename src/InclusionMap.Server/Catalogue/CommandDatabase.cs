using InclusionMap.Data;
using Npgsql;

namespace InclusionMap.Server.Catalogue;

/// <summary>
/// The catalogue for a command-line verb: the configured database, or the private cluster of the state directory
/// (started for the verb, stopped after; the verb works as the catalogue's owner role); migrations applied. When a
/// server holds the state directory, the verb joins its running cluster through its socket with the state directory's
/// secrets (it runs as the same account, or root), so imports, dedup and syncs need no downtime: they take the same
/// write lock as the server's own.
/// </summary>
public sealed class CommandDatabase : IAsyncDisposable
{
    private PostgresCluster? _cluster;
    public NpgsqlDataSource DataSource { get; private set; } = null!;

    /// <summary>True when the verb joined the cluster of a running server rather than starting it.</summary>
    public bool JoinedRunningServer { get; private set; }

    public static async Task<CommandDatabase> OpenAsync(CatalogueSettings settings, ILogger log, CancellationToken ct)
    {
        var database = new CommandDatabase();
        try
        {
            if (settings.Embedded)
            {
                try
                {
                    database._cluster = await PostgresCluster.StartAsync(settings.ClusterOptions, log, ct);
                    await CatalogueRoles.PrepareAsync(database._cluster, CatalogueSettings.DatabaseName,
                        settings.ReaderStatementTimeout, ct);
                }
                catch (StateDirectoryInUseException busy)
                {
                    await JoinRunningServerAsync(settings, busy, ct);
                    database.JoinedRunningServer = true;
                    log.LogInformation("A server holds {Directory}: working on its running cluster", settings.StateDirectory);
                }
            }
            database.DataSource = CatalogueDatabase.CreateDataSource(settings.EffectiveConnectionString, CatalogueDatabase.DataSourceName);
            await CatalogueStartup.MigrateAsync(database.DataSource, ct);
            if (database._cluster is not null) await CatalogueRoles.GrantReadsAsync(database._cluster, CatalogueSettings.DatabaseName, ct);
            return database;
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The running server's cluster answers on its socket with the owner's password from <c>secrets.json</c>; else the
    /// state directory is held by something that is not serving (a server still starting its cluster): the original error stands.
    /// </summary>
    private static async Task JoinRunningServerAsync(CatalogueSettings settings, StateDirectoryInUseException busy, CancellationToken ct)
    {
        if (!ClusterSecrets.ExistIn(settings.StateDirectory)) throw busy;
        try
        {
            await using var probe = new NpgsqlConnection(settings.EffectiveConnectionString + ";Pooling=false;Timeout=5");
            await probe.OpenAsync(ct);
        }
        catch (Exception e) when (e is NpgsqlException or IOException or UnauthorizedAccessException)
        {
            throw new StateDirectoryInUseException(
                $"{busy.Message} Its cluster does not answer yet ({e.Message}); try again once the server is ready.");
        }
    }

    /// <summary>Details on stderr: stdout carries only the verb's output, for scripts.</summary>
    public static ILoggerFactory Logging() => LoggerFactory.Create(b => b
        .AddSimpleConsole(o => o.SingleLine = true)
        .AddFilter("Microsoft", LogLevel.Warning).AddFilter("Npgsql", LogLevel.Warning)
        .Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(
            o => o.LogToStandardErrorThreshold = LogLevel.Trace));

    public async ValueTask DisposeAsync()
    {
        if (DataSource is not null) await DataSource.DisposeAsync();
        if (_cluster is not null) await _cluster.StopAsync();
    }
}
