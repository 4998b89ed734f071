using System.Net;
using System.Text.Json;
using InclusionMap.Data;
using InclusionMap.Data.Import;
using InclusionMap.Server.Catalogue;
using InclusionMap.Testing;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace InclusionMap.Server.Tests;

/// <summary>
/// Scaling reads with PostgreSQL's own streaming replication: a real primary and a real hot-standby replica (two private
/// clusters on loopback sockets). The server writes (migrations) to the primary and sends every API read to the replica.
/// </summary>
public sealed class ReplicaRoutingTests : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("im-replica-").FullName;
    private PostgresCluster _primary = null!;
    private PostgresCluster _replica = null!;

    public async Task InitializeAsync()
    {
        if (Environment.IsPrivilegedProcess) System.Diagnostics.Process.Start("chmod", ["755", _root])!.WaitForExit();
        _primary = await PostgresCluster.StartAsync(new PostgresClusterOptions(Path.Combine(_root, "primary"), Durable: false));
        await _primary.EnsureDatabaseAsync("catalogue");
        await using var primary = CatalogueDatabase.CreateDataSource(_primary.ConnectionString("catalogue"));
        await using (var db = CatalogueDatabase.CreateContext(primary)) await db.Database.MigrateAsync();
        var data = TestCluster.DataDirectory;
        await new CatalogueImporter(primary).ImportAsync(
        [
            new ImportFile(Path.Combine(data, "communes", "decoupage-administratif-6.0.0_departements.json")),
            new ImportFile(Path.Combine(data, "geo", "communes-23-cog2026-from-adminexpress2018.geojson")),
            new ImportFile(Path.Combine(data, "lieux", "20231003-bus-france-services-charente-16_lieux-mediation-numerique_v0.1.json")),
        ]);
        _replica = await PostgresCluster.StartReplicaAsync(_primary,
            new PostgresClusterOptions(Path.Combine(_root, "replica"), Durable: false));
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await _replica.StopAsync();
        await _primary.StopAsync();
        Directory.Delete(_root, recursive: true);
    }

    private static async Task<T> ScalarAsync<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 300; i++)
        {
            if (await condition()) return;
            await Task.Delay(100);
        }
        throw new TimeoutException("replica did not catch up");
    }

    [Fact]
    public async Task Api_reads_go_to_the_streaming_replica_and_see_what_the_primary_writes()
    {
        var replicaConnection = _replica.ConnectionString("catalogue");
        Assert.True(await ScalarAsync<bool>(replicaConnection, "SELECT pg_is_in_recovery()"), "the replica must be a standby");
        await WaitForAsync(async () => await ScalarAsync<long>(replicaConnection, "SELECT count(*) FROM sites") == 12);

        var settings = new CatalogueSettings
        {
            ConnectionString = _primary.ConnectionString("catalogue"),
            ReadConnectionString = replicaConnection,
            StateDirectory = _root,
            DataDirectory = TestCluster.DataDirectory,
        };
        await using var app = InclusionMapApp.Build(settings, ["--urls", "http://127.0.0.1:0", "--environment", "Testing"]);
        await app.StartAsync();
        var state = app.Services.GetRequiredService<CatalogueState>();
        for (var i = 0; !state.Ready && i < 300; i++) await Task.Delay(100);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        using var http = new HttpClient { BaseAddress = new Uri(address) };

        var health = JsonDocument.Parse(await http.GetStringAsync("/health")).RootElement;
        Assert.Equal(12, health.GetProperty("sites").GetInt64());
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/tiles/sites/10/508/362.mvt")).StatusCode);

        // Reads are on the replica, under the read application name; none on the primary.
        const string readers =
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'inclusionmap-read' AND datname = 'catalogue'";
        Assert.True(await ScalarAsync<long>(replicaConnection, readers) >= 1);
        Assert.Equal(0L, await ScalarAsync<long>(_primary.ConnectionString("catalogue"), readers));

        // A write on the primary (an import) reaches the API through streaming replication.
        var charente = Path.Combine(TestCluster.DataDirectory, "lieux", "20230711-charente-16_lieux-mediation-numerique_v0.1.json");
        await using (var primary = CatalogueDatabase.CreateDataSource(_primary.ConnectionString("catalogue")))
            await new CatalogueImporter(primary).ImportAsync([new ImportFile(charente)]);
        await WaitForAsync(async () =>
            JsonDocument.Parse(await http.GetStringAsync("/health")).RootElement.GetProperty("sites").GetInt64() == 200);
        await app.StopAsync();
    }
}
