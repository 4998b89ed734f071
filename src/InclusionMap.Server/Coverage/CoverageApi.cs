using InclusionMap.Data.Analysis;
using InclusionMap.Server.Errors;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace InclusionMap.Server.Coverage;

/// <summary>
/// The coverage analysis as files a coordinator downloads: <c>/coverage/{departement}.csv</c> (every commune, for a
/// spreadsheet) and <c>/coverage/{departement}.geojson</c> (communes' points with their figures, for a GIS). Options:
/// <c>maxDistance</c> (metres), <c>services</c> and <c>programmes</c> (official labels or GraphQL names, comma-separated),
/// <c>suggest</c>. Analyses and maps come from <see cref="CoverageCache"/>, shared with GraphQL's <c>coverage</c>.
/// </summary>
public static class CoverageApi
{
    public static IServiceCollection AddCoverage(this IServiceCollection services) => services.AddSingleton<CoverageCache>();

    public static void MapCoverageApi(this IEndpointRouteBuilder app)
    {
        var coverage = app.MapGroup("/coverage").WithTags("Coverage");
        coverage.MapGet("/{departement}.csv", (string departement, string? maxDistance, string? services, string? programmes,
                string? suggest, CoverageCache cache, CancellationToken ct) =>
            RunAsync(departement, maxDistance, services, programmes, suggest, cache, "text/csv; charset=utf-8",
                r => "\uFEFF" + CoverageReports.Csv(r), ct));
        coverage.MapGet("/{departement}.geojson", (string departement, string? maxDistance, string? services, string? programmes,
                string? suggest, CoverageCache cache, CancellationToken ct) =>
            RunAsync(departement, maxDistance, services, programmes, suggest, cache, "application/geo+json",
                CoverageReports.GeoJson, ct));
        // The printable map (A4 at 150 dpi).
        app.MapGet("/maps/coverage/{departement}.png", async Task<Results<FileContentHttpResult, ProblemHttpResult>> (string departement,
            string? maxDistance, string? services, string? programmes, string? suggest, CoverageCache cache, CancellationToken ct) =>
        {
            try
            {
                var request = CoverageRequests.Parse(departement, null, services, maxDistance, suggest, allowWholeCountry: false,
                    programmes);
                return TypedResults.File(await cache.MapAsync(request, ct), "image/png", $"couverture-{departement}.png");
            }
            catch (ArgumentException e)
            {
                return Invalid(e);
            }
        }).WithTags("Coverage");
    }

    /// <summary>The map's title: « Couverture numérique — Creuse (23) ».</summary>
    public static async Task<string> TitleAsync(NpgsqlDataSource db, string departement, CancellationToken ct)
    {
        await using var command = db.CreateCommand("SELECT nom FROM departements WHERE code = $1");
        command.Parameters.Add(new() { Value = departement });
        var name = await command.ExecuteScalarAsync(ct) as string;
        return $"Couverture numérique — {name ?? "département"} ({departement})";
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> RunAsync(string departement, string? threshold,
        string? services, string? programmes, string? suggestions, CoverageCache cache, string contentType,
        Func<CoverageResult, string> write, CancellationToken ct)
    {
        try
        {
            var request = CoverageRequests.Parse(departement, null, services, threshold, suggestions, allowWholeCountry: false,
                programmes);
            var result = await cache.AnalyseAsync(request, ct);
            return TypedResults.Text(write(result), contentType);
        }
        catch (ArgumentException e)
        {
            return Invalid(e);
        }
    }

    /// <summary>
    /// A request the analysis refuses: its messages are written for the client (codes, ranges, labels); one from a
    /// library that would show internals is replaced.
    /// </summary>
    private static ProblemHttpResult Invalid(ArgumentException e) =>
        TypedResults.Problem(ErrorHandling.Exposes(e.Message) ? "The coverage request is not valid; see docs/coverage.md." : e.Message,
            statusCode: StatusCodes.Status400BadRequest, title: "Invalid coverage request",
            extensions: new Dictionary<string, object?> { ["code"] = "INVALID_COVERAGE_REQUEST" });
}
