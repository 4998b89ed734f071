using InclusionMap.Data;
using Npgsql;
using Xunit;

namespace InclusionMap.Testing;

/// <summary>A fresh database for one test class, copied from a template of the run's cluster, dropped afterwards.</summary>
public abstract class CatalogueDatabaseFixture(string template) : IAsyncLifetime
{
    /// <summary>As the superuser: the test's own hand, free to arrange anything.</summary>
    public string ConnectionString { get; private set; } = "";
    public NpgsqlDataSource DataSource { get; private set; } = null!;
    /// <summary>As the catalogue's owner role, which production migrates and imports with.</summary>
    public string OwnerConnectionString => TestCluster.As(ConnectionString, CatalogueRoles.Owner);
    /// <summary>As the API's read-only role.</summary>
    public string ReaderConnectionString => TestCluster.As(ConnectionString, CatalogueRoles.Reader);
    /// <summary>As the web's write role.</summary>
    public string EditorConnectionString => TestCluster.As(ConnectionString, CatalogueRoles.Editor);

    public async Task InitializeAsync()
    {
        ConnectionString = await TestCluster.CreateDatabaseAsync(template);
        DataSource = CatalogueDatabase.CreateDataSource(ConnectionString);
    }

    public CatalogueDbContext CreateContext() => CatalogueDatabase.CreateContext(DataSource);

    public async Task<T> ScalarAsync<T>(string sql, params object[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var p in parameters) command.Parameters.Add(new NpgsqlParameter { Value = p });
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async Task DisposeAsync()
    {
        await DataSource.DisposeAsync();
        await TestCluster.DropDatabaseAsync(ConnectionString);
    }
}
