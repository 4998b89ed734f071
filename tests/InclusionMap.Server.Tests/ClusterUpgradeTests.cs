using System.Diagnostics;
using System.Text.Json;
using InclusionMap.Data;
using InclusionMap.Data.Import;
using InclusionMap.Testing;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace InclusionMap.Server.Tests;

/// <summary>
/// A state directory made by an older InclusionMap (trust authentication, a 0755 socket directory, the catalogue owned by
/// the superuser), here rebuilt with the commands that version ran and left running as after a crash, is taken over by
/// the real executable: passwords, scram-only pg_hba.conf, the owner and reader roles, the data kept.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ClusterUpgradeTests : IDisposable
{
    private readonly string _state = Path.Combine(Path.GetTempPath(), "im-upgrade-" + Guid.NewGuid().ToString("N")[..8]);
    private string PgData => Path.Combine(_state, "pgdata");
    private string Socket => Path.Combine(_state, "run");

    [Fact]
    public async Task An_older_trusting_state_directory_gets_passwords_and_roles_and_keeps_its_catalogue()
    {
        await CreateOlderStateDirectoryAsync();

        var (code, stdout, stderr) = await InclusionMapProcess.RunEmbeddedAsync(_state, "export", "--format", "geojson");
        Assert.True(code == 0, stderr);
        Assert.Equal(12, JsonDocument.Parse(stdout).RootElement.GetProperty("features").GetArrayLength());
        Assert.Contains("made by an older InclusionMap", stderr);
        Assert.True(ClusterSecrets.ExistIn(_state));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_state, ClusterSecrets.FileName)));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Socket));

        await using var cluster = await PostgresCluster.StartAsync(new PostgresClusterOptions(_state, Durable: false));
        // The connection the older version used, without a password, is refused now.
        await using (var trusting = new NpgsqlConnection(OlderConnectionString("inclusionmap") + ";Passfile=/dev/null"))
        {
            var refused = await Assert.ThrowsAnyAsync<NpgsqlException>(() => trusting.OpenAsync());
            Assert.Contains("password", refused.Message, StringComparison.OrdinalIgnoreCase);
        }
        await using (var admin = new NpgsqlConnection(cluster.ConnectionString("inclusionmap") + ";Pooling=false"))
        {
            await admin.OpenAsync();
            Assert.Equal(0L, await ScalarAsync<long>(admin, "SELECT count(*) FROM pg_hba_file_rules WHERE auth_method <> 'scram-sha-256'"));
            Assert.Equal(CatalogueRoles.Owner,
                await ScalarAsync<string>(admin, "SELECT pg_get_userbyid(datdba)::text FROM pg_database WHERE datname = 'inclusionmap'"));
            // Every object the older version made as the superuser is the owner's now; the extensions' own stay.
            Assert.Equal(0L, await ScalarAsync<long>(admin, """
                SELECT (SELECT count(*) FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'v', 'm', 'S')
                          AND c.relowner <> to_regrole('inclusionmap_owner')
                          AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e'))
                     + (SELECT count(*) FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace
                          AND p.proowner <> to_regrole('inclusionmap_owner')
                          AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e'))
                """));
            Assert.Equal(CatalogueRoles.Owner,
                await ScalarAsync<string>(admin, "SELECT pg_get_userbyid(relowner)::text FROM pg_class WHERE relname = 'commune_shapes'"));
        }
        var asReader = cluster.ConnectionString("inclusionmap", 1, CatalogueRoles.Reader) + ";Pooling=false";
        await using (var reader = new NpgsqlConnection(asReader))
        {
            await reader.OpenAsync();
            Assert.Equal(12L, await ScalarAsync<long>(reader, "SELECT count(*) FROM sites"));
            Assert.Equal("im", await ScalarAsync<string>(reader, "SELECT im_unaccent('îm')"));
            var write = new NpgsqlCommand("BEGIN READ WRITE; DELETE FROM sites", reader);
            var denied = await Assert.ThrowsAsync<PostgresException>(() => write.ExecuteNonQueryAsync());
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, denied.SqlState);
        }
        await cluster.StopAsync();

        // The next run has nothing left to upgrade.
        (code, stdout, stderr) = await InclusionMapProcess.RunEmbeddedAsync(_state, "export", "--format", "geojson");
        Assert.True(code == 0, stderr);
        Assert.DoesNotContain("older InclusionMap", stderr);
        Assert.Equal(12, JsonDocument.Parse(stdout).RootElement.GetProperty("features").GetArrayLength());
    }

    /// <summary>What the older version did: initdb with trust as the cluster's account, a world-open socket, the database,
    /// migrations and an import as the superuser. Its server is left running, as a crash leaves it.</summary>
    private async Task CreateOlderStateDirectoryAsync()
    {
        Directory.CreateDirectory(Socket);
        File.SetUnixFileMode(_state, (UnixFileMode)0b111_101_101);
        File.SetUnixFileMode(Socket, (UnixFileMode)0b111_101_101);
        Directory.CreateDirectory(PgData, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        if (Environment.IsPrivilegedProcess)
        {
            await RunCheckedAsync("chown", "postgres:postgres", Socket);
            await RunCheckedAsync("chown", "postgres:postgres", PgData);
        }
        var bin = PostgresCluster.FindBinDirectory();
        await RunToolAsync(Path.Combine(bin, "initdb"),
            "-D", PgData, "-U", "inclusionmap", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-instructions");
        await RunToolAsync(Path.Combine(bin, "pg_ctl"),
            "start", "-D", PgData, "-l", Path.Combine(Socket, "postgresql.log"), "-w", "-t", "60",
            "-o", $"-c listen_addresses='' -k {Socket} -p 5432 -c fsync=off");

        await using (var admin = new NpgsqlConnection(OlderConnectionString("postgres")))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand("CREATE DATABASE inclusionmap", admin);
            await create.ExecuteNonQueryAsync();
        }
        await using var catalogue = CatalogueDatabase.CreateDataSource(OlderConnectionString("inclusionmap"));
        await using (var db = CatalogueDatabase.CreateContext(catalogue)) await db.Database.MigrateAsync();
        var data = TestCluster.DataDirectory;
        await new CatalogueImporter(catalogue).ImportAsync(
        [
            new ImportFile(Path.Combine(data, "communes", "decoupage-administratif-6.0.0_departements.json")),
            new ImportFile(Path.Combine(data, "geo", "communes-23-cog2026-from-adminexpress2018.geojson")),
            new ImportFile(Path.Combine(data, "lieux", "20231003-bus-france-services-charente-16_lieux-mediation-numerique_v0.1.json")),
        ]);
        NpgsqlConnection.ClearAllPools();
    }

    private string OlderConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder { Host = Socket, Port = 5432, Database = database, Username = "inclusionmap", Pooling = false }
            .ConnectionString;

    private static Task RunToolAsync(string tool, params string[] args) =>
        Environment.IsPrivilegedProcess ? RunCheckedAsync("runuser", ["-u", "postgres", "--", tool, .. args]) : RunCheckedAsync(tool, args);

    private static async Task RunCheckedAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/" };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        // pg_ctl start leaves the server holding the pipes: wait for the exit, not for the end of the output.
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', args)} failed ({process.ExitCode})");
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public void Dispose()
    {
        NpgsqlConnection.ClearAllPools();
        if (File.Exists(Path.Combine(PgData, "postmaster.pid")))
        {
            string[] stop = [Path.Combine(PostgresCluster.FindBinDirectory(), "pg_ctl"), "stop", "-D", PgData, "-m", "immediate"];
            using var process = Environment.IsPrivilegedProcess
                ? Process.Start("runuser", ["-u", "postgres", "--", .. stop])
                : Process.Start(stop[0], stop[1..]);
            process.WaitForExit();
        }
        try { Directory.Delete(_state, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
