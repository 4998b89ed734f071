using InclusionMap.Testing;
using Npgsql;

namespace InclusionMap.Data.Tests;

/// <summary>
/// The connection defaults of <see cref="CatalogueDatabase.CreateDataSource"/>, observed on a real server: pooled
/// connections are not reset when given back (so nothing may leave session state behind), unless the connection
/// string asks for the reset.
/// </summary>
public sealed class ConnectionDefaultsTests : IAsyncLifetime
{
    private readonly EmptyCatalogue _catalogue = new();

    public Task InitializeAsync() => _catalogue.InitializeAsync();

    public Task DisposeAsync() => _catalogue.DisposeAsync();

    [Fact]
    public async Task A_pooled_connection_is_not_reset_and_keeps_its_prepared_statements()
    {
        await using var dataSource = CatalogueDatabase.CreateDataSource(_catalogue.ConnectionString + ";Maximum Pool Size=1");
        var first = await SessionAfterSettingAsync(dataSource);
        var (backend, timeout, prepared) = await SessionAsync(dataSource);

        Assert.Equal(first, backend); // the same physical connection, back from the pool
        Assert.Equal("4321ms", timeout); // no RESET ALL in between
        Assert.True(prepared > 0, "the statement run five times was prepared automatically and is still prepared");
    }

    [Fact]
    public async Task A_connection_string_that_asks_for_the_reset_keeps_it()
    {
        await using var dataSource =
            CatalogueDatabase.CreateDataSource(_catalogue.ConnectionString + ";Maximum Pool Size=1;No Reset On Close=false");
        var first = await SessionAfterSettingAsync(dataSource);
        var (backend, timeout, _) = await SessionAsync(dataSource);

        Assert.Equal(first, backend);
        Assert.Equal("0", timeout);
    }

    /// <summary>Sets a session-level setting, runs one statement often enough for Npgsql to prepare it; returns the backend pid.</summary>
    private static async Task<int> SessionAfterSettingAsync(NpgsqlDataSource dataSource)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using (var set = new NpgsqlCommand("SET statement_timeout = 4321", connection)) await set.ExecuteNonQueryAsync();
        for (var i = 0; i < 6; i++)
        {
            await using var select = new NpgsqlCommand("SELECT count(*) FROM sites WHERE id > $1", connection);
            select.Parameters.Add(new NpgsqlParameter { Value = (long)i });
            await select.ExecuteScalarAsync();
        }
        return connection.ProcessID;
    }

    private static async Task<(int Backend, string Timeout, long Prepared)> SessionAsync(NpgsqlDataSource dataSource)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(
            "SELECT current_setting('statement_timeout'), "
            + "(SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%FROM sites WHERE id >%')", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (connection.ProcessID, reader.GetString(0), reader.GetInt64(1));
    }
}
