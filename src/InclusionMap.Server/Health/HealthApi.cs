using System.Globalization;
using System.Text.Json;
using InclusionMap.Server.Errors;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace InclusionMap.Server.Health;

public static class HealthApi
{
    /// <summary>
    /// ASP.NET Core health checks: the database answers (<see cref="DatabaseHealthCheck"/>, on the read data source) and
    /// the catalogue is ready (<see cref="CatalogueHealthCheck"/>).
    /// </summary>
    public static IServiceCollection AddHealth(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database")
            .AddCheck<CatalogueHealthCheck>("catalogue");
        return services;
    }

    /// <summary>
    /// <c>GET /health</c>: 200 with the catalogue's counts and data date once ready; 503 while starting (with the phase)
    /// or when the database cannot be reached, and 200 again once it can, with no restart. Small and cheap: load
    /// balancers poll it; never cached.
    /// </summary>
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = WriteAsync }).ExcludeFromDescription();
        return app;
    }

    /// <summary>
    /// <c>{"status": "ok", "database": "reachable", "sites": …, "communes": …, "dataDate": …, "lastImport": …}</c>; a 503
    /// adds the error code (<c>STARTING</c>, <c>STARTUP_FAILED</c>, <c>DATABASE_UNAVAILABLE</c>) and the trace id, as
    /// every error answer does, and <c>Retry-After</c> unless the start failed.
    /// </summary>
    private static Task WriteAsync(HttpContext http, HealthReport report)
    {
        var catalogue = report.Entries["catalogue"];
        var database = report.Entries["database"];
        var status = database.Status != HealthStatus.Healthy && catalogue.Description is "ok" or "unavailable"
            ? "unavailable"
            : catalogue.Description;
        var body = new Dictionary<string, object?>
        {
            ["status"] = status,
            ["database"] = database.Status == HealthStatus.Healthy ? "reachable" : "unreachable",
        };
        if (report.Status == HealthStatus.Unhealthy)
        {
            body["code"] = status switch { "starting" => "STARTING", "failed" => "STARTUP_FAILED", _ => "DATABASE_UNAVAILABLE" };
            body["traceId"] = ErrorHandling.TraceId(http);
            if (status != "failed")
                http.Response.Headers.RetryAfter = ErrorHandling.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        }
        foreach (var (key, value) in catalogue.Data) body[key] = value;
        http.Response.ContentType = "application/json; charset=utf-8";
        return JsonSerializer.SerializeAsync(http.Response.Body, body, cancellationToken: http.RequestAborted);
    }
}
