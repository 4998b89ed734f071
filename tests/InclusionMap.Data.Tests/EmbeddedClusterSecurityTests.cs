using System.Diagnostics;
using InclusionMap.Testing;
using Npgsql;

namespace InclusionMap.Data.Tests;

/// <summary>
/// The private cluster as production makes it (<see cref="PostgresCluster"/> and <see cref="CatalogueRoles"/>, the real
/// migrations applied by the owner role): only the cluster's own OS account reaches its socket, every connection needs
/// its password, the API's role can only read (and only briefly), the owner role is no superuser.
/// CI runs as root: the "another local user" checks run psql as <c>nobody</c>; run as a normal user, the test can only
/// check the directory's owner and mode, which is what stops other users.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class EmbeddedClusterSecurityTests(SecuredClusterFixture fixture) : IClassFixture<SecuredClusterFixture>
{
    private const string Database = SecuredClusterFixture.Database;

    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private string As(string role) => fixture.As(role);

    [Fact]
    public async Task Another_local_user_cannot_reach_the_socket_whatever_password_it_tries()
    {
        Assert.Equal(OwnerOnlyDirectory, File.GetUnixFileMode(fixture.Cluster.SocketDirectory));
        Assert.Equal(OwnerOnlyFile, File.GetUnixFileMode(Path.Combine(fixture.StateDirectory, ClusterSecrets.FileName)));
        var expectedOwner = Environment.IsPrivilegedProcess ? "postgres" : Environment.UserName;
        Assert.Equal(expectedOwner, (await RunAsync("stat", "-c", "%U", fixture.Cluster.SocketDirectory)).Output);
        if (!Environment.IsPrivilegedProcess) return; // no other account to switch to without root

        // The control: with its password, a role gets in from an account that may reach the socket.
        var reader = await PsqlAsync(null, CatalogueRoles.Reader, fixture.Cluster.Secrets.Reader);
        Assert.Equal((0, "1"), reader);
        foreach (var role in new[] { CatalogueRoles.Reader, CatalogueRoles.Owner, PostgresClusterOptions.SuperUser })
        {
            // No password, guesses, and even the right one: the directory stops nobody before authentication.
            foreach (var password in new[] { null, "inclusionmap", "postgres", fixture.Cluster.Secrets.PasswordOf(role) })
            {
                var (code, output) = await PsqlAsync("nobody", role, password);
                Assert.NotEqual(0, code);
                Assert.Contains("Permission denied", output);
            }
        }
    }

    [Fact]
    public async Task A_connection_without_the_right_password_is_refused()
    {
        await using (var admin = new NpgsqlConnection(As(PostgresClusterOptions.SuperUser)))
        {
            await admin.OpenAsync();
            await using var rules = new NpgsqlCommand(
                "SELECT count(*) FILTER (WHERE auth_method <> 'scram-sha-256'), count(*) FROM pg_hba_file_rules", admin);
            await using var read = await rules.ExecuteReaderAsync();
            await read.ReadAsync();
            Assert.Equal(0L, read.GetInt64(0));
            Assert.True(read.GetInt64(1) >= 2);
        }
        foreach (var role in new[] { CatalogueRoles.Reader, CatalogueRoles.Owner, PostgresClusterOptions.SuperUser })
        {
            var noPassword = new NpgsqlConnectionStringBuilder(As(role)) { Password = null, Passfile = "/dev/null", Pooling = false };
            await using (var connection = new NpgsqlConnection(noPassword.ConnectionString))
            {
                var refused = await Assert.ThrowsAnyAsync<NpgsqlException>(() => connection.OpenAsync());
                Assert.Contains("password", refused.Message, StringComparison.OrdinalIgnoreCase);
            }
            var wrong = new NpgsqlConnectionStringBuilder(As(role)) { Password = "inclusionmap", Pooling = false };
            await using (var connection = new NpgsqlConnection(wrong.ConnectionString))
                Assert.Equal(PostgresErrorCodes.InvalidPassword, await SqlStateAsync(() => connection.OpenAsync()));
            // psql too, from an account that reaches the socket: refused without the password.
            var (code, output) = await PsqlAsync(null, role, null);
            Assert.NotEqual(0, code);
            Assert.Contains("no password supplied", output);
        }
    }

    [Theory]
    [InlineData("INSERT INTO regions (code, nom, zone) VALUES ('99', 'Intruse', 'metropole')")]
    [InlineData("UPDATE sites SET nom = nom")]
    [InlineData("DELETE FROM sites")]
    [InlineData("TRUNCATE import_runs")]
    [InlineData("CREATE TABLE intruder (id int)")]
    [InlineData("CREATE TEMP TABLE intruder (id int)")]
    [InlineData("CREATE SCHEMA intruder")]
    [InlineData("DROP TABLE sites")]
    [InlineData("ALTER TABLE sites ADD COLUMN intruder int")]
    [InlineData("REFRESH MATERIALIZED VIEW commune_shapes")]
    [InlineData("COPY (SELECT 1) TO PROGRAM 'touch {marker}'")]
    [InlineData("COPY (SELECT 1) TO '{marker}'")]
    [InlineData("CREATE ROLE intruder SUPERUSER")]
    public async Task The_api_role_cannot_write_even_in_a_read_write_transaction(string statement)
    {
        var marker = Path.Combine(Path.GetTempPath(), "im-intruder-" + Guid.NewGuid().ToString("N"));
        var sql = statement.Replace("{marker}", marker, StringComparison.Ordinal);
        await using var connection = new NpgsqlConnection(As(CatalogueRoles.Reader) + ";Pooling=false");
        await connection.OpenAsync();
        // Its transactions are read-only by default...
        var readOnly = await SqlStateAsync(() => ExecuteAsync(connection, sql));
        Assert.Contains(readOnly, new[] { PostgresErrorCodes.ReadOnlySqlTransaction, PostgresErrorCodes.InsufficientPrivilege });
        // ...and a role that asks for read-write still holds no privilege to write.
        await ExecuteAsync(connection, "SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE");
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, await SqlStateAsync(() => ExecuteAsync(connection, sql)));
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public async Task The_api_role_reads_only_briefly_and_is_no_superuser()
    {
        await using var reads = CatalogueDatabase.CreateReadDataSource(As(CatalogueRoles.Reader));
        await using (var command = reads.CreateCommand("""
            SELECT r.rolsuper, r.rolcreaterole, r.rolcreatedb, r.rolreplication, r.rolbypassrls,
                   current_setting('default_transaction_read_only'), current_setting('statement_timeout'), (SELECT count(*) FROM sites)
              FROM pg_roles r WHERE r.rolname = current_user
            """))
        await using (var row = await command.ExecuteReaderAsync())
        {
            Assert.True(await row.ReadAsync());
            Assert.Equal(new[] { false, false, false, false, false }, Enumerable.Range(0, 5).Select(row.GetBoolean));
            Assert.Equal("on", row.GetString(5));
            Assert.Equal("5s", row.GetString(6));
            Assert.Equal(0L, row.GetInt64(7)); // it reads the catalogue
        }
        Assert.Empty(await CatalogueRoles.FindWriteAccessAsync(reads));
        // The timeout is in force: a statement longer than 5 s is cancelled by the server.
        await using (var sleep = reads.CreateCommand("SELECT pg_sleep(6)"))
            Assert.Equal(PostgresErrorCodes.QueryCanceled, await SqlStateAsync(() => sleep.ExecuteNonQueryAsync()));
        // The owner and the superuser could write, and are reported.
        await using var owner = CatalogueDatabase.CreateDataSource(As(CatalogueRoles.Owner));
        Assert.Contains(await CatalogueRoles.FindWriteAccessAsync(owner), r => r.Contains("may change", StringComparison.Ordinal));
        await using var superuser = CatalogueDatabase.CreateDataSource(As(PostgresClusterOptions.SuperUser));
        Assert.Contains(await CatalogueRoles.FindWriteAccessAsync(superuser), r => r.Contains("is a superuser", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_owner_owns_the_catalogue_new_tables_are_readable_and_it_is_no_superuser()
    {
        await using var connection = new NpgsqlConnection(As(CatalogueRoles.Owner));
        await connection.OpenAsync();
        Assert.False(await ScalarAsync<bool>(connection, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"));
        Assert.Equal(0L, await ScalarAsync<long>(connection, """
            SELECT count(*) FROM pg_class c
             WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'm', 'v') AND c.relowner <> to_regrole(current_user)
               AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')
            """));
        string[] forbidden =
            ["COPY (SELECT 1) TO PROGRAM 'true'", "CREATE ROLE intruder", "ALTER SYSTEM SET fsync = off", "CREATE DATABASE intruder"];
        foreach (var statement in forbidden)
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, await SqlStateAsync(() => ExecuteAsync(connection, statement)));

        // A table a later migration adds is readable by the API's role at once (the owner's default privileges).
        await ExecuteAsync(connection, "CREATE TABLE later_table (id int); INSERT INTO later_table VALUES (7)");
        await using var reader = new NpgsqlConnection(As(CatalogueRoles.Reader));
        await reader.OpenAsync();
        Assert.Equal(7, await ScalarAsync<int>(reader, "SELECT id FROM later_table"));
    }

    [Fact]
    public async Task The_secrets_are_made_once_and_reused_at_the_next_start()
    {
        var file = Path.Combine(fixture.StateDirectory, ClusterSecrets.FileName);
        var before = await File.ReadAllTextAsync(file);
        await fixture.RestartAsync();
        Assert.Equal(before, await File.ReadAllTextAsync(file));
        await using var reader = new NpgsqlConnection(As(CatalogueRoles.Reader) + ";Pooling=false");
        await reader.OpenAsync();
        Assert.Equal(CatalogueRoles.Reader, await ScalarAsync<string>(reader, "SELECT current_user::text"));
        // Nothing secret in the cluster's log.
        var log = await File.ReadAllTextAsync(fixture.Cluster.LogFile);
        foreach (var password in new[] { fixture.Cluster.Secrets.Superuser, fixture.Cluster.Secrets.Owner, fixture.Cluster.Secrets.Reader })
            Assert.DoesNotContain(password, log);
    }

    [Fact]
    public async Task The_test_runs_cluster_is_private_too()
    {
        var host = new NpgsqlConnectionStringBuilder(await TestCluster.ConnectionStringAsync("postgres")).Host!;
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(host));
    }

    /// <summary>psql as <paramref name="account"/> (null: this process's user), with <c>PGPASSWORD</c> when given; never prompts.</summary>
    private async Task<(int Code, string Output)> PsqlAsync(string? account, string role, string? password)
    {
        var psql = Path.Combine(PostgresCluster.FindBinDirectory(), "psql");
        var port = fixture.Cluster.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        string[] args = ["-h", fixture.Cluster.SocketDirectory, "-p", port,
            "-U", role, "-d", Database, "-w", "-X", "-Atc", "SELECT 1"];
        var environment = new Dictionary<string, string> { ["PGPASSFILE"] = "/dev/null" };
        if (password is not null) environment["PGPASSWORD"] = password;
        return account is null
            ? await RunAsync(psql, environment, args)
            : await RunAsync("runuser", environment, ["-u", account, "--", psql, .. args]);
    }

    private static Task<(int Code, string Output)> RunAsync(string file, params string[] args) =>
        RunAsync(file, new Dictionary<string, string>(), args);

    private static async Task<(int Code, string Output)> RunAsync(string file, Dictionary<string, string> environment, string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/" };
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment.Remove("PGPASSWORD");
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, ((await output) + (await error)).Trim());
    }

    private static async Task<string> SqlStateAsync(Func<Task> action) => (await Assert.ThrowsAsync<PostgresException>(action)).SqlState;

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
