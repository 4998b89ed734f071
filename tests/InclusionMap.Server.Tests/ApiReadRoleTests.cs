using System.Collections.Concurrent;
using System.Net;
using InclusionMap.Data;
using InclusionMap.Server.Catalogue;
using InclusionMap.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace InclusionMap.Server.Tests;

/// <summary>
/// The API's database connection. The test server reads as the read-only role, as production does, so that a write
/// slipped into API code fails in the tests; a server whose read connection could write (an external database without
/// a read-only role) says so at start.
/// </summary>
public sealed class ApiReadRoleTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task The_test_server_reads_as_the_read_only_role_and_cannot_write()
    {
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/health")).StatusCode);
        var database = new NpgsqlConnectionStringBuilder(server.ConnectionString).Database!;
        var users = await server.ScalarAsync<string[]>(
            "SELECT array_agg(DISTINCT usename::text) FROM pg_stat_activity WHERE datname = $1 AND application_name = $2",
            database, CatalogueDatabase.ReadDataSourceName);
        Assert.Equal(new[] { CatalogueRoles.Reader }, users);

        var api = server.App.Services.GetRequiredService<NpgsqlDataSource>();
        Assert.Empty(await CatalogueRoles.FindWriteAccessAsync(api));
        await using var delete = api.CreateCommand("DELETE FROM sites");
        var refused = await Assert.ThrowsAsync<PostgresException>(() => delete.ExecuteNonQueryAsync());
        Assert.Equal(PostgresErrorCodes.ReadOnlySqlTransaction, refused.SqlState);
        Assert.True(await server.ScalarAsync<long>("SELECT count(*) FROM sites") > 0);
    }

    [Fact]
    public async Task A_read_connection_that_can_write_is_reported_at_start()
    {
        // Reads through the primary, here a superuser: what an external database without ConnectionStrings__CatalogueReadOnly gets.
        var warnings = await StartAndCollectWarningsAsync(readConnectionString: null);
        var warning = Assert.Single(warnings, w => w.Contains("can write", StringComparison.Ordinal));
        Assert.Contains("is a superuser", warning);
        Assert.Contains("docs/security.md", warning);

        // A read-only role: nothing to report.
        warnings = await StartAndCollectWarningsAsync(TestCluster.As(server.ConnectionString, CatalogueRoles.Reader));
        Assert.DoesNotContain(warnings, w => w.Contains("can write", StringComparison.Ordinal));
    }

    private async Task<IReadOnlyCollection<string>> StartAndCollectWarningsAsync(string? readConnectionString)
    {
        var settings = new CatalogueSettings
        {
            ConnectionString = server.ConnectionString,
            ReadConnectionString = readConnectionString,
            StateDirectory = Path.GetTempPath(),
            Seed = false,
        };
        var collector = new WarningCollector();
        string[] host = ["--urls", "http://127.0.0.1:0", "--environment", "Testing"];
        await using var app = InclusionMapApp.Build(settings, host, b => b.Logging.AddProvider(collector));
        await app.StartAsync();
        var state = app.Services.GetRequiredService<CatalogueState>();
        for (var i = 0; !state.Ready && i < 600; i++) await Task.Delay(100);
        Assert.True(state.Ready, $"{state.Phase} {state.Failure}");
        await app.StopAsync();
        return collector.Warnings;
    }

    private sealed class WarningCollector : ILoggerProvider, ILogger
    {
        public ConcurrentQueue<string> Warnings { get; } = new();
        public ILogger CreateLogger(string categoryName) => this;
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel)) Warnings.Enqueue(formatter(state, exception));
        }

        public void Dispose()
        {
        }
    }
}
