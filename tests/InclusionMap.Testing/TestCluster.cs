using InclusionMap.Core;
using InclusionMap.Data;
using InclusionMap.Data.Import;
using Npgsql;

namespace InclusionMap.Testing;

/// <summary>
/// The test run's one private PostGIS cluster. <c>test.sh</c> starts it and sets <c>INCLUSIONMAP_TEST_PGHOST</c> (its
/// socket directory, 0700: its roles need no password) so every test assembly shares it; a test project run alone (from
/// an IDE) starts its own, with passwords as in production. Once per cluster, under an advisory lock so parallel test
/// assemblies agree: the catalogue's owner and reader roles, and three template databases built by the owner (schema
/// only, territories loaded, the full catalogue) with the reader's grants, which every copy inherits.
/// </summary>
public static class TestCluster
{
    public const string EmptyTemplate = "im_template_empty";
    public const string TerritoriesTemplate = "im_template_territories";
    public const string CatalogueTemplate = "im_template_catalogue";

    private static readonly Lazy<Task<string>> Host = new(StartOrJoinAsync);
    private static PostgresCluster? _owned;

    public static string DataDirectory => OpenDataDirectory.Resolve();

    /// <summary>A database of the cluster, as the superuser.</summary>
    public static async Task<string> ConnectionStringAsync(string database)
    {
        var host = await Host.Value;
        var connection = new NpgsqlConnectionStringBuilder { Host = host, Port = 5432, Database = database, MaxPoolSize = 30 };
        return As(connection.ConnectionString, PostgresClusterOptions.SuperUser);
    }

    /// <summary>The same database as another role: <see cref="CatalogueRoles.Owner"/> or <see cref="CatalogueRoles.Reader"/>.</summary>
    public static string As(string connectionString, string role) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Username = role, Password = _owned?.Secrets.PasswordOf(role) }
            .ConnectionString;

    /// <summary>A new database owned by the catalogue's owner, a copy of a template (built on first use): its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync(string template)
    {
        await EnsureTemplatesAsync();
        var name = "test_" + Guid.NewGuid().ToString("N")[..16];
        await using var admin = new NpgsqlConnection(await ConnectionStringAsync("postgres") + ";Pooling=false");
        await admin.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE {name} TEMPLATE {template} OWNER {CatalogueRoles.Owner}", admin);
        await create.ExecuteNonQueryAsync();
        return await ConnectionStringAsync(name);
    }

    public static async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(await ConnectionStringAsync("postgres") + ";Pooling=false");
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }

    private static async Task<string> StartOrJoinAsync()
    {
        var shared = Environment.GetEnvironmentVariable("INCLUSIONMAP_TEST_PGHOST");
        if (!string.IsNullOrWhiteSpace(shared)) return shared;
        var directory = Path.Combine(Path.GetTempPath(), OwnClusterPrefix + Environment.ProcessId);
        await RemoveAbandonedClustersAsync();
        _owned = await PostgresCluster.StartAsync(new PostgresClusterOptions(directory, Durable: false));
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            _owned.StopAsync().GetAwaiter().GetResult();
            try { Directory.Delete(directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        };
        return _owned.SocketDirectory;
    }

    private const string OwnClusterPrefix = "inclusionmap-test-";

    /// <summary>
    /// The clusters of earlier test processes that did not get to remove theirs (a test host is often killed once its
    /// tests are done, before its exit handlers run): stopped and deleted, or they fill the disk run after run.
    /// </summary>
    private static async Task RemoveAbandonedClustersAsync()
    {
        foreach (var directory in Directory.GetDirectories(Path.GetTempPath(), OwnClusterPrefix + "*"))
        {
            if (!int.TryParse(Path.GetFileName(directory)[OwnClusterPrefix.Length..], out var pid) || ProcessIsAlive(pid)) continue;
            try
            {
                await using (var abandoned = await PostgresCluster.StartAsync(new PostgresClusterOptions(directory, Durable: false))) { }
                Directory.Delete(directory, recursive: true);
            }
            catch (Exception e)
                when (e is IOException or UnauthorizedAccessException or InvalidOperationException or StateDirectoryInUseException)
            {
                // Another process is removing it, or it is not a cluster of ours: leave it.
            }
        }
    }

    private static bool ProcessIsAlive(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static readonly SemaphoreSlim TemplateGate = new(1, 1);
    private static bool _templatesReady;

    private static async Task EnsureTemplatesAsync()
    {
        if (_templatesReady) return;
        await TemplateGate.WaitAsync();
        try
        {
            if (_templatesReady) return;
            await using var admin = new NpgsqlConnection(await ConnectionStringAsync("postgres") + ";Pooling=false");
            await admin.OpenAsync();
            // Another test process may be building them: the advisory lock serialises, the existence check skips.
            await Execute(admin, "SELECT pg_advisory_lock(727001)");
            try
            {
                await CatalogueRoles.EnsureRolesAsync(admin, _owned?.Secrets, CatalogueRoles.DefaultReaderStatementTimeout);
                if (!await Exists(admin, CatalogueTemplate))
                {
                    await BuildAsync(admin, EmptyTemplate, null, async ds => await Migrate(ds));
                    await BuildAsync(admin, TerritoriesTemplate, EmptyTemplate, async ds =>
                        await new CatalogueImporter(ds).ImportAsync(
                            CatalogueSeeder.SeedFiles(DataDirectory).Where(f => !ImportFormats.Detect(f.Path).IsPlaces()).ToList()));
                    await BuildAsync(admin, CatalogueTemplate, TerritoriesTemplate, async ds =>
                        await new CatalogueImporter(ds).ImportAsync(
                            CatalogueSeeder.PlacesFiles(DataDirectory).Select(f => new ImportFile(f)).ToList()));
                }
            }
            finally
            {
                await Execute(admin, "SELECT pg_advisory_unlock(727001)");
            }
            _templatesReady = true;
        }
        finally
        {
            TemplateGate.Release();
        }
    }

    /// <summary>A template as production builds a catalogue: secured by the superuser, filled by the owner, read by the reader.</summary>
    private static async Task BuildAsync(NpgsqlConnection admin, string name, string? from, Func<NpgsqlDataSource, Task> fill)
    {
        var building = name + "_building";
        await Execute(admin, $"DROP DATABASE IF EXISTS {building} WITH (FORCE)");
        var copy = from is null ? "" : $" TEMPLATE {from}";
        await Execute(admin, $"CREATE DATABASE {building}{copy} OWNER {CatalogueRoles.Owner}");
        var superuser = await ConnectionStringAsync(building) + ";Pooling=false";
        await using (var onDatabase = new NpgsqlConnection(superuser))
        {
            await onDatabase.OpenAsync();
            await CatalogueRoles.SecureDatabaseAsync(onDatabase);
        }
        await using (var dataSource = CatalogueDatabase.CreateDataSource(As(superuser, CatalogueRoles.Owner)))
            await fill(dataSource);
        await using (var onDatabase = new NpgsqlConnection(superuser))
        {
            await onDatabase.OpenAsync();
            await CatalogueRoles.GrantReadsAsync(onDatabase);
        }
        await Execute(admin, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        await Execute(admin, $"ALTER DATABASE {building} RENAME TO {name}");
        await Execute(admin, $"ALTER DATABASE {name} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false");
    }

    private static async Task Migrate(NpgsqlDataSource dataSource)
    {
        await using var db = CatalogueDatabase.CreateContext(dataSource);
        await Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.MigrateAsync(db.Database);
    }

    private static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<bool> Exists(NpgsqlConnection connection, string database)
    {
        await using var command = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection)
        {
            Parameters = { new() { Value = database } },
        };
        return await command.ExecuteScalarAsync() is not null;
    }
}
