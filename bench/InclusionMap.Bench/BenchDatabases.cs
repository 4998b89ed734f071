using System.Diagnostics;
using System.Globalization;
using InclusionMap.Data;
using InclusionMap.Data.Import;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace InclusionMap.Bench;

/// <summary>
/// The benchmark's private PostGIS cluster (non-durable, under /tmp, TCP on loopback too for the PostGraphile peer) and
/// its databases: the real catalogue (every commune, every real site, as the test templates load it) and, each in a
/// database of its own, scale-ups to larger sizes made of real sites copied at random points of their commune polygon
/// (<c>ST_GeneratePoints</c>), with ids above the real ones. These databases are the bench's own: the product serves
/// them like any catalogue, and the real catalogue database never receives a copy.
/// </summary>
public sealed class BenchDatabases : IAsyncDisposable
{
    public const string RealDatabase = "bench_real";
    public const string PeerSchema = "bench_peer";

    private readonly string _state;
    public PostgresCluster Cluster { get; }
    public List<BenchDatabase> Databases { get; } = [];
    public int Port => Cluster.Port;

    private BenchDatabases(string state, PostgresCluster cluster)
    {
        _state = state;
        Cluster = cluster;
    }

    public static async Task<BenchDatabases> CreateAsync(string dataDirectory, IReadOnlyList<int> sizes)
    {
        var state = Directory.CreateTempSubdirectory("im-bench-").FullName;
        if (Environment.IsPrivilegedProcess) Process.Start("chmod", ["755", state])!.WaitForExit();
        var cluster = await PostgresCluster.StartAsync(
            new PostgresClusterOptions(state, Port: ChildProcess.FreePort(), Durable: false, ListenAddress: "127.0.0.1"));
        var bench = new BenchDatabases(state, cluster);
        Interruption.Register(() => bench.DisposeAsync().AsTask());
        try
        {
            var watch = Stopwatch.StartNew();
            await cluster.EnsureDatabaseAsync(RealDatabase);
            await using (var dataSource = CatalogueDatabase.CreateDataSource(cluster.ConnectionString(RealDatabase) + ";Pooling=false"))
            {
                await using (var db = CatalogueDatabase.CreateContext(dataSource)) await db.Database.MigrateAsync();
                await new CatalogueImporter(dataSource).ImportAsync(CatalogueSeeder.SeedFiles(dataDirectory));
            }
            await bench.ExecuteAsync(RealDatabase, "VACUUM ANALYZE");
            var real = await bench.ScalarAsync<long>(RealDatabase, "SELECT count(*) FROM sites");
            var lastReal = await bench.ScalarAsync<long>(RealDatabase, "SELECT max(id) FROM sites");
            var communes = await bench.ScalarAsync<long>(RealDatabase, "SELECT count(*) FROM communes");
            Console.WriteLine($"Real catalogue: {communes:N0} communes, {real:N0} sites ({watch.Elapsed.TotalSeconds:0} s)");
            bench.Databases.Add(new BenchDatabase(RealDatabase, $"{real:N0} (real)", real, false));
            foreach (var size in sizes.Where(s => s > real).Order())
            {
                watch.Restart();
                var name = "bench_" + size.ToString(CultureInfo.InvariantCulture);
                await bench.ScaleUpAsync(name, size, real, lastReal);
                var count = await bench.ScalarAsync<long>(name, "SELECT count(*) FROM sites");
                var outside = await bench.ScalarAsync<long>(name, $"""
                    SELECT count(*) FROM sites s JOIN communes c ON c.code = s.commune_code
                     WHERE s.id > {lastReal} AND NOT ST_Intersects(c.geometry, s.location_geometry)
                    """);
                Console.WriteLine($"Scale-up {name}: {count:N0} sites, {outside} copied points outside their commune " +
                                  $"({watch.Elapsed.TotalSeconds:0} s)");
                bench.Databases.Add(new BenchDatabase(name, $"{count:N0} (scale-up)", count, true));
            }
            foreach (var database in bench.Databases) await bench.CreatePeerFunctionAsync(database.Name);
            return bench;
        }
        catch
        {
            await bench.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// A copy of the real catalogue grown to <paramref name="size"/> sites with copies of real sites (ids above
    /// <paramref name="lastReal"/>).
    /// </summary>
    private async Task ScaleUpAsync(string name, int size, long real, long lastReal)
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync("postgres", $"CREATE DATABASE {name} TEMPLATE {RealDatabase}");
        // Every column that is neither the identity nor generated is copied; the location is replaced.
        var columns = await ListAsync(name, """
            SELECT column_name FROM information_schema.columns
             WHERE table_schema = 'public' AND table_name = 'sites' AND is_generated = 'NEVER' AND is_identity = 'NO'
               AND column_name <> 'location'
             ORDER BY ordinal_position
            """);
        var list = string.Join(", ", columns);
        var copied = string.Join(", ", columns.Select(c => "s." + c));
        // Copies per eligible real site: base for all, one more for the first (asked mod eligible). ST_GeneratePoints draws
        // uniformly inside the commune polygon (seeded: the same database on every run) but may return a few points more or
        // fewer than asked: ask 1 % more, then trim the last ones so the size is exact.
        var ask = (long)Math.Ceiling((size - real) * 1.01);
        var sql = $"""
            WITH eligible AS (
              SELECT s.*, c.geometry AS commune_geometry, row_number() OVER (ORDER BY s.id) AS rn, count(*) OVER () AS n
                FROM sites s JOIN communes c ON c.code = s.commune_code
               WHERE s.location IS NOT NULL AND c.geometry IS NOT NULL),
            plan AS (
              SELECT e.*, {ask} / e.n + CASE WHEN e.rn <= {ask} % e.n THEN 1 ELSE 0 END AS copies FROM eligible e)
            INSERT INTO sites ({list}, location)
            SELECT {copied}, p.geom::geography
              FROM plan s
             CROSS JOIN LATERAL ST_Dump(ST_GeneratePoints(s.commune_geometry, s.copies::int, s.id::int + 1)) AS p
             WHERE s.copies > 0
            """;
        await ExecuteAsync(name, sql);
        await ExecuteAsync(name, $"DELETE FROM sites WHERE id IN (SELECT id FROM sites WHERE id > {lastReal} ORDER BY id DESC " +
                                 $"LIMIT greatest(0, (SELECT count(*) FROM sites) - {size}))");
        // As an import ends: rows rewritten in spatial order (copies were appended source site after source site); CLUSTER
        // also rebuilds the indexes grown by a quarter of a million single inserts.
        await ExecuteAsync(name, CatalogueDatabase.ClusterSitesSql);
        await ExecuteAsync(name, "VACUUM ANALYZE sites"); // statistics and the visibility map, as after any bulk load
    }

    /// <summary>The peer's query as a SQL function in a schema of its own, so the catalogue's schema stays as migrations made it.</summary>
    private async Task CreatePeerFunctionAsync(string database) => await ExecuteAsync(database, $"""
        CREATE SCHEMA IF NOT EXISTS {PeerSchema};
        CREATE OR REPLACE FUNCTION {PeerSchema}.nearest_sites(lat float8, lon float8, n int) RETURNS SETOF public.sites
          LANGUAGE sql STABLE PARALLEL SAFE AS $$
            SELECT * FROM public.sites WHERE location IS NOT NULL
             ORDER BY location <-> ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography LIMIT n
          $$;
        """);

    public string ConnectionString(string database) => Cluster.ConnectionString(database, maxPoolSize: 100);

    /// <summary>postgres:// URL over TCP loopback, for Node clients; the password goes in their <c>PGPASSWORD</c>.</summary>
    public string Url(string database) => $"postgres://{PostgresClusterOptions.SuperUser}@127.0.0.1:{Port}/{database}";

    public string Password => Cluster.Secrets.Superuser;

    public async Task ExecuteAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(database) + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 1800 };
        await command.ExecuteNonQueryAsync();
    }

    public async Task<T> ScalarAsync<T>(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(database) + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
        return (T)Convert.ChangeType((await command.ExecuteScalarAsync())!, typeof(T), CultureInfo.InvariantCulture);
    }

    private async Task<List<string>> ListAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(database) + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var list = new List<string>();
        while (await reader.ReadAsync()) list.Add(reader.GetString(0));
        return list;
    }

    private readonly Lock _disposeGate = new();
    private Task? _disposing;

    /// <summary>Once, whoever asks first (the run's end, a failure, or an interruption).</summary>
    public ValueTask DisposeAsync()
    {
        lock (_disposeGate) _disposing ??= DisposeOnceAsync();
        return new ValueTask(_disposing);
    }

    private async Task DisposeOnceAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await Cluster.StopAsync();
        await Cluster.DisposeAsync();
        try
        {
            Directory.Delete(_state, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"Could not remove {_state}: {e.Message}");
        }
    }
}
