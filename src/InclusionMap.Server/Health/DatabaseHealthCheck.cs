using InclusionMap.Data;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace InclusionMap.Server.Health;

/// <summary>
/// The database answers a <c>SELECT 1</c> on the read data source, within a few seconds. It replaces the NpgSql check of
/// AspNetCore.HealthChecks, which cannot retry on a fresh connection: after a database restart, the first poll took a
/// dead pooled connection and said 503 while the database was up. Here a broken connection clears the pool and the
/// query runs once more at once (<see cref="ReadRetry"/>, without waiting: a poll answers now).
/// </summary>
public sealed class DatabaseHealthCheck(ReadRetry reads) : IHealthCheck
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Timeout);
        try
        {
            await reads.RunAsync(async token =>
            {
                await using var command = reads.DataSource.CreateCommand("SELECT 1");
                return await command.ExecuteScalarAsync(token);
            }, deadline.Token, waitForServer: false);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("unreachable", e);
        }
    }
}
