using InclusionMap.Server.Catalogue;
using Npgsql;

namespace InclusionMap.Server.Health;

public static class HealthApi
{
    /// <summary>
    /// <c>GET /health</c>: 200 with the catalogue's counts and data date once ready; 503 while starting (with the phase)
    /// or when the database cannot be reached. Small and cheap: load balancers poll it.
    /// </summary>
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", async Task<IResult> (CatalogueState state, NpgsqlDataSource dataSource, CancellationToken ct) =>
        {
            if (!state.Ready)
                return TypedResults.Json(new { status = state.Phase == "failed" ? "failed" : "starting", phase = state.Phase }, statusCode: 503);
            try
            {
                await using var command = dataSource.CreateCommand("""
                    SELECT (SELECT count(*) FROM sites),
                           (SELECT count(*) FROM communes),
                           (SELECT max(date_maj) FROM site_sources),
                           (SELECT max(finished_at) FROM import_runs)
                    """);
                await using var reader = await command.ExecuteReaderAsync(ct);
                await reader.ReadAsync(ct);
                return TypedResults.Ok(new
                {
                    status = "ok",
                    database = "reachable",
                    sites = reader.GetInt64(0),
                    communes = reader.GetInt64(1),
                    dataDate = reader.IsDBNull(2) ? null : reader.GetFieldValue<DateOnly>(2).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                    lastImport = reader.IsDBNull(3) ? (DateTimeOffset?)null : reader.GetFieldValue<DateTimeOffset>(3),
                });
            }
            catch (NpgsqlException)
            {
                return TypedResults.Json(new { status = "unavailable", database = "unreachable" }, statusCode: 503);
            }
        }).ExcludeFromDescription();
        return app;
    }
}
