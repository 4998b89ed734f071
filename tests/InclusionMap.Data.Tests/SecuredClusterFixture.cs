using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace InclusionMap.Data.Tests;

/// <summary>
/// A private cluster in a fresh state directory, brought up as the server does: <see cref="PostgresCluster"/>, the roles
/// and database of <see cref="CatalogueRoles"/>, the real migrations applied by the owner role, then the grant step.
/// </summary>
public sealed class SecuredClusterFixture : IAsyncLifetime
{
    public const string Database = "inclusionmap";
    public string StateDirectory { get; } = Path.Combine(Path.GetTempPath(), "im-secure-" + Guid.NewGuid().ToString("N")[..8]);
    public PostgresCluster Cluster { get; private set; } = null!;

    public string As(string role) => Cluster.ConnectionString(Database, user: role);

    public async Task InitializeAsync()
    {
        await StartAsync();
        await using (var owner = CatalogueDatabase.CreateDataSource(As(CatalogueRoles.Owner) + ";Pooling=false"))
        await using (var db = CatalogueDatabase.CreateContext(owner))
            await db.Database.MigrateAsync();
        await CatalogueRoles.GrantReadsAsync(Cluster, Database);
    }

    /// <summary>Stops the cluster and starts it again from its state directory, as a second run of the server would.</summary>
    public async Task RestartAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await Cluster.StopAsync();
        await StartAsync();
    }

    private async Task StartAsync()
    {
        Cluster = await PostgresCluster.StartAsync(new PostgresClusterOptions(StateDirectory, Durable: false));
        await CatalogueRoles.PrepareAsync(Cluster, Database, CatalogueRoles.DefaultReaderStatementTimeout);
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await Cluster.StopAsync();
        Directory.Delete(StateDirectory, recursive: true);
    }
}
