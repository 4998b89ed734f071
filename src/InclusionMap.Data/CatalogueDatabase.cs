using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

namespace InclusionMap.Data;

/// <summary>How every part of InclusionMap connects to the catalogue (one place for Npgsql + NTS + naming settings).</summary>
public static class CatalogueDatabase
{
    /// <summary>The names of the server's data sources on Npgsql's traces and metrics (<c>db.npgsql.data_source</c>).</summary>
    public const string DataSourceName = "inclusionmap", ReadDataSourceName = "inclusionmap-read",
        WebWriteDataSourceName = "inclusionmap-web";

    /// <summary>
    /// A data source with the catalogue's defaults. <paramref name="name"/> labels its traces and metrics
    /// (<c>db.npgsql.data_source</c>; the connection string when null): the server names its own.
    /// </summary>
    public static NpgsqlDataSource CreateDataSource(string connectionString, string? name = null)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString) { Name = name };
        WithDefaults(builder.ConnectionStringBuilder);
        builder.UseNetTopologySuite();
        return builder.Build();
    }

    /// <summary>
    /// The read-only data source: application name <c>inclusionmap-read</c> so replicas show who reads, and the same name
    /// on its traces and metrics.
    /// </summary>
    public static NpgsqlDataSource CreateReadDataSource(string connectionString) =>
        CreateNamedDataSource(connectionString, ReadDataSourceName);

    /// <summary>The web's write data source (the editor role): application name and traces <c>inclusionmap-web</c>.</summary>
    public static NpgsqlDataSource CreateWebWriteDataSource(string connectionString) =>
        CreateNamedDataSource(connectionString, WebWriteDataSourceName);

    private static NpgsqlDataSource CreateNamedDataSource(string connectionString, string name)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString) { Name = name };
        if (string.IsNullOrEmpty(builder.ConnectionStringBuilder.ApplicationName)) builder.ConnectionStringBuilder.ApplicationName = name;
        WithDefaults(builder.ConnectionStringBuilder);
        builder.UseNetTopologySuite();
        return builder.Build();
    }

    /// <summary>
    /// Connection defaults; a connection string that sets its own keeps them.
    /// PostgreSQL's JIT compiles a query whose estimated cost is high, which the spatial joins of the coverage analysis
    /// always are: compiling costs far more than running the query (docs/scaling.md). Our queries are short; JIT never
    /// pays off. Statements run again and again (the API's few query shapes) are prepared automatically: PostgreSQL then
    /// skips parsing and planning, a good part of its work for a nearest-10 query (docs/scaling.md). Queries whose best plan depends on
    /// their parameter values ask for custom plans (<see cref="ForceCustomPlansAsync"/>).
    /// A connection given back to the pool is not reset: by default Npgsql sends seven statements before the next use
    /// (<c>RESET ALL; CLOSE ALL; UNLISTEN *; …</c>), as much work for PostgreSQL as a nearest-10 query itself. Nothing here
    /// leaves session state behind: settings are <c>SET LOCAL</c>, temporary tables <c>ON COMMIT DROP</c>, and Npgsql still
    /// rolls back a transaction left open.
    /// </summary>
    private static void WithDefaults(NpgsqlConnectionStringBuilder connection)
    {
        if (string.IsNullOrEmpty(connection.Options)) connection.Options = "-c jit=off";
        if (connection.MaxAutoPrepare == 0) connection.MaxAutoPrepare = 64;
        // ContainsKey is true for every keyword Npgsql knows; the connection string lists only those given a value.
        if (!connection.ConnectionString.Contains("No Reset On Close", StringComparison.OrdinalIgnoreCase))
            connection.NoResetOnClose = true;
    }

    /// <summary>
    /// Rewrites <c>sites</c> in geohash order (a Z-order curve over longitude and latitude: points close on the ground
    /// are mostly close in that order) through a throw-away index, which also rebuilds the other indexes over the new
    /// order. The nearest sites of a point then share heap pages instead of lying one per page wherever they were inserted,
    /// so a nearest-10 query reads about half as many (docs/scaling.md). (Clustering on the GiST index itself follows its
    /// leaf order, which is looser.) PostGIS's advice for read-mostly tables. Run after bulk changes,
    /// then <c>ANALYZE sites</c> (which needs no exclusive lock, so it stays out of this). In one transaction: a failure
    /// leaves neither index nor half a rewrite.
    /// </summary>
    /// <remarks>
    /// <c>CLUSTER</c> holds an ACCESS EXCLUSIVE lock on <c>sites</c> until the commit, so API readers wait for the whole
    /// rewrite, which grows about as fast as the table (measured per catalogue size in docs/scaling.md; the index build
    /// before it, which readers do not wait for, is small beside it). After an import,
    /// <see cref="Import.CatalogueImporter"/> therefore re-sorts only up to <see cref="ClusterSitesMaxSites"/> sites, waits
    /// at most <see cref="ClusterSitesLockTimeout"/> for readers to let go (a reader waiting behind the CLUSTER waits
    /// that long too), and gives the CLUSTER statement <see cref="ClusterSitesStatementTimeout"/> in all, wait included:
    /// readers are never held up for more than that plus dropping the index and committing. When it
    /// gives up it logs why; a larger catalogue is re-sorted at a quiet time (docs/scaling.md).
    /// </remarks>
    public const string ClusterSitesSql = """
        CREATE INDEX ix_sites_geohash_order ON sites (ST_GeoHash(location::geometry, 10));
        CLUSTER sites USING ix_sites_geohash_order;
        DROP INDEX ix_sites_geohash_order
        """;

    /// <summary>
    /// The most sites an import re-sorts (<see cref="ClusterSitesSql"/>): a rewrite short enough for readers to wait for
    /// (docs/scaling.md).
    /// </summary>
    public const int ClusterSitesMaxSites = 10_000;

    /// <summary>How long the import's re-sort waits for readers to release <c>sites</c> before it gives up.</summary>
    public const string ClusterSitesLockTimeout = "300ms";

    /// <summary>The longest any statement of the import's re-sort runs (the CLUSTER: its lock wait and the rewrite).</summary>
    public const string ClusterSitesStatementTimeout = "800ms";

    /// <summary>
    /// Inside <paramref name="transaction"/>, plans every statement for its actual parameters: a prepared statement may
    /// otherwise get a generic plan, which cannot see that an optional filter (<c>$2 IS NULL OR …</c>) is off or how
    /// long a list of codes is.
    /// </summary>
    public static async Task ForceCustomPlansAsync(NpgsqlTransaction transaction, CancellationToken ct = default)
    {
        await using var command = new NpgsqlCommand("SET LOCAL plan_cache_mode = force_custom_plan", transaction.Connection, transaction);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The history table of the EF Core migrations.</summary>
    public const string MigrationsHistoryTable = "__ef_migrations_history";

    /// <summary>
    /// Whether every migration of this assembly is already applied, asked with one plain query: building the EF Core
    /// migrator is a noticeable share of start-up (docs/scaling.md), which a command-line verb on a current catalogue
    /// need not pay.
    /// </summary>
    public static async Task<bool> IsSchemaCurrentAsync(NpgsqlDataSource dataSource, CancellationToken ct = default)
    {
        var known = typeof(CatalogueDbContext).Assembly.GetTypes()
            .Where(t => t.GetCustomAttribute<DbContextAttribute>()?.ContextType == typeof(CatalogueDbContext))
            .Select(t => t.GetCustomAttribute<MigrationAttribute>()?.Id).OfType<string>().ToHashSet(StringComparer.Ordinal);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand($"SELECT migration_id FROM {MigrationsHistoryTable}", connection);
        try
        {
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) known.Remove(reader.GetString(0));
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return false;
        }
        return known.Count == 0;
    }

    public static DbContextOptionsBuilder<CatalogueDbContext> Configure(DbContextOptionsBuilder<CatalogueDbContext> options,
        string connectionString) =>
        Configure(options, CreateDataSource(connectionString));

    public static DbContextOptionsBuilder<CatalogueDbContext> Configure(DbContextOptionsBuilder<CatalogueDbContext> options,
        NpgsqlDataSource dataSource, ReadRetry? retryReads = null)
    {
        Configure((DbContextOptionsBuilder)options, dataSource, retryReads);
        return options;
    }

    /// <summary>
    /// The catalogue's EF Core settings on <paramref name="dataSource"/>. With <paramref name="retryReads"/> (the API's
    /// read-only contexts only), a query whose connection broke runs once more on a fresh one
    /// (<see cref="ReadRetryExecutionStrategy"/>).
    /// </summary>
    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder options, NpgsqlDataSource dataSource,
        ReadRetry? retryReads = null)
    {
        options.UseNpgsql(dataSource, npgsql =>
            {
                npgsql.UseNetTopologySuite().MigrationsHistoryTable(MigrationsHistoryTable);
                if (retryReads is not null)
                    npgsql.ExecutionStrategy(dependencies => new ReadRetryExecutionStrategy(dependencies, retryReads));
            })
            .UseSnakeCaseNamingConvention()
            .AddInterceptors(LiteralLimitInterceptor.Instance);
        return options;
    }

    public static CatalogueDbContext CreateContext(NpgsqlDataSource dataSource) =>
        new(Configure(new DbContextOptionsBuilder<CatalogueDbContext>(), dataSource).Options);
}
