using InclusionMap.Data;
using Npgsql;

namespace InclusionMap.Server.Catalogue;

/// <summary>
/// The catalogue for a command-line verb: the configured database, or the private cluster of the state directory
/// (started for the verb, stopped after; the verb works as the catalogue's owner role); migrations applied.
/// </summary>
public sealed class CommandDatabase : IAsyncDisposable
{
    private PostgresCluster? _cluster;
    public NpgsqlDataSource DataSource { get; private set; } = null!;

    public static async Task<CommandDatabase> OpenAsync(CatalogueSettings settings, ILogger log, CancellationToken ct)
    {
        var database = new CommandDatabase();
        try
        {
            if (settings.Embedded)
            {
                database._cluster = await PostgresCluster.StartAsync(settings.ClusterOptions, log, ct);
                await CatalogueRoles.PrepareAsync(database._cluster, CatalogueSettings.DatabaseName, settings.ReaderStatementTimeout, ct);
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

    /// <summary>Details on stderr: stdout carries only the verb's output, for scripts.</summary>
    public static ILoggerFactory Logging() => LoggerFactory.Create(b => b
        .AddSimpleConsole(o => o.SingleLine = true)
        .AddFilter("Microsoft", LogLevel.Warning).AddFilter("Npgsql", LogLevel.Warning)
        .Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace));

    public async ValueTask DisposeAsync()
    {
        if (DataSource is not null) await DataSource.DisposeAsync();
        if (_cluster is not null) await _cluster.StopAsync();
    }
}
