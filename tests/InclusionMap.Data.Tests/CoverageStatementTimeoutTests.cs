using InclusionMap.Data.Analysis;
using InclusionMap.Testing;
using Npgsql;

namespace InclusionMap.Data.Tests;

/// <summary>
/// The API's read-only role cancels any statement after a few seconds; the coverage analysis raises the limit for its own
/// transaction. Through a read-only connection whose limit (200 ms here) is far below what the national analysis's
/// catchment statement alone takes, the analysis still completes, while a plain statement is cancelled.
/// </summary>
public sealed class CoverageStatementTimeoutTests : IAsyncLifetime
{
    private readonly SeededCatalogue _catalogue = new();

    public Task InitializeAsync() => _catalogue.InitializeAsync();

    public Task DisposeAsync() => _catalogue.DisposeAsync();

    [Fact]
    public async Task The_analysis_outlasts_the_readers_statement_timeout()
    {
        var connection = new NpgsqlConnectionStringBuilder(_catalogue.ReaderConnectionString)
        {
            Options = "-c jit=off -c statement_timeout=200",
        };
        await using var reads = CatalogueDatabase.CreateReadDataSource(connection.ConnectionString);
        await using (var sleep = reads.CreateCommand("SELECT pg_sleep(1)"))
        {
            var cancelled = await Assert.ThrowsAsync<PostgresException>(() => sleep.ExecuteNonQueryAsync());
            Assert.Equal(PostgresErrorCodes.QueryCanceled, cancelled.SqlState);
        }

        var result = await new CoverageAnalysis(reads).RunAsync(new CoverageRequest { WholeCountry = true, Suggestions = 1 });
        Assert.Equal(await _catalogue.ScalarAsync<long>("SELECT count(*) FROM communes WHERE centre IS NOT NULL"), result.Communes.Count);
    }
}
