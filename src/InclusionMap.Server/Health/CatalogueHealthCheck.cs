using InclusionMap.Data;
using InclusionMap.Server.Catalogue;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace InclusionMap.Server.Health;

/// <summary>
/// The catalogue's own check: unhealthy while it starts (with its phase) or when it failed; once ready, its counts and
/// the date of its data, which the reachability of the database (the NpgSql check) does not tell.
/// </summary>
public sealed class CatalogueHealthCheck(CatalogueState state, ReadRetry reads) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!state.Ready)
            return HealthCheckResult.Unhealthy(state.Phase == "failed" ? "failed" : "starting",
                data: new Dictionary<string, object> { ["phase"] = state.Phase });
        try
        {
            // A broken connection is retried at once, on a fresh one: a poll answers now rather than wait for the database.
            var data = await reads.RunAsync(ReadFiguresAsync, cancellationToken, waitForServer: false);
            return HealthCheckResult.Healthy("ok", data);
        }
        catch (NpgsqlException e)
        {
            return HealthCheckResult.Unhealthy("unavailable", e);
        }
    }

    private async Task<Dictionary<string, object>> ReadFiguresAsync(CancellationToken ct)
    {
        await using var command = reads.DataSource.CreateCommand("""
            SELECT (SELECT count(*) FROM sites WHERE retired_at IS NULL),
                   (SELECT count(*) FROM communes),
                   (SELECT max(date_maj) FROM site_sources),
                   (SELECT max(finished_at) FROM import_runs)
            """);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        var data = new Dictionary<string, object>
        {
            ["sites"] = reader.GetInt64(0),
            ["communes"] = reader.GetInt64(1),
        };
        if (!reader.IsDBNull(2))
            data["dataDate"] = reader.GetFieldValue<DateOnly>(2).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        if (!reader.IsDBNull(3)) data["lastImport"] = reader.GetFieldValue<DateTimeOffset>(3);
        return data;
    }
}
