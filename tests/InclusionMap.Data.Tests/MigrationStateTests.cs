using InclusionMap.Testing;

namespace InclusionMap.Data.Tests;

/// <summary>The cheap start-up check that lets a command skip the EF Core migrator on a current catalogue.</summary>
public sealed class MigrationStateTests : IAsyncLifetime
{
    private readonly EmptyCatalogue _catalogue = new();

    public Task InitializeAsync() => _catalogue.InitializeAsync();

    public Task DisposeAsync() => _catalogue.DisposeAsync();

    [Fact]
    public async Task The_schema_is_current_only_when_every_migration_of_the_assembly_is_applied()
    {
        Assert.True(await CatalogueDatabase.IsSchemaCurrentAsync(_catalogue.DataSource));

        var last = await _catalogue.ScalarAsync<string>($"SELECT max(migration_id) FROM {CatalogueDatabase.MigrationsHistoryTable}");
        await ExecuteAsync($"DELETE FROM {CatalogueDatabase.MigrationsHistoryTable} WHERE migration_id = $1", last);
        Assert.False(await CatalogueDatabase.IsSchemaCurrentAsync(_catalogue.DataSource));

        // A blank database has no history table at all.
        await ExecuteAsync($"DROP TABLE {CatalogueDatabase.MigrationsHistoryTable}");
        Assert.False(await CatalogueDatabase.IsSchemaCurrentAsync(_catalogue.DataSource));
    }

    private async Task ExecuteAsync(string sql, params object[] parameters)
    {
        await using var command = _catalogue.DataSource.CreateCommand(sql);
        foreach (var p in parameters) command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = p });
        await command.ExecuteNonQueryAsync();
    }
}
