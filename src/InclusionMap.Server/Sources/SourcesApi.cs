using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using InclusionMap.Data;
using InclusionMap.Data.Sources;
using Microsoft.EntityFrameworkCore;

namespace InclusionMap.Server.Sources;

/// <summary>
/// The living catalogue in the server: its settings, the scheduled syncs and daily backups (<see cref="AddLivingCatalogue"/>),
/// and, for people, <c>/sources</c> (each source, its last sync, status and counts, in French) and
/// <c>/sources/{name}/report.json</c> (the stored report of its last file).
/// </summary>
public static class SourcesApi
{
    public static WebApplicationBuilder AddLivingCatalogue(this WebApplicationBuilder builder)
    {
        builder.AddValidatedOptions<LivingCatalogueOptions>(LivingCatalogueOptions.Section);
        builder.Services.AddHostedService<SourceScheduler>();
        builder.Services.AddHostedService<DailyBackups>();
        return builder;
    }

    public static IEndpointRouteBuilder MapSourcesApi(this IEndpointRouteBuilder app)
    {
        var sources = app.MapGroup("/sources").WithTags("Sources");
        sources.MapGet("", PageAsync).ExcludeFromDescription();
        sources.MapGet("/{name}/report.json", ReportAsync);
        return app;
    }

    /// <summary>The stored report of the source's last file (applied or refused), as the import wrote it.</summary>
    private static async Task<IResult> ReportAsync(string name, CatalogueDbContext db, CancellationToken ct)
    {
        var runId = await db.Sources.AsNoTracking()
            .Where(s => s.Name == name && s.RemovedAt == null)
            .Select(s => s.LastRunId)
            .FirstOrDefaultAsync(ct);
        var report = runId is { } id
            ? await db.ImportRuns.AsNoTracking().Where(r => r.Id == id).Select(r => r.Report).FirstOrDefaultAsync(ct)
            : null;
        return report is null
            ? TypedResults.Problem($"No report for a source named '{name}'.", statusCode: StatusCodes.Status404NotFound, title: "Not found")
            : TypedResults.Text(report, "application/json; charset=utf-8");
    }

    private static async Task<IResult> PageAsync(CatalogueDbContext db, HttpContext http, CancellationToken ct)
    {
        var sources = await SourceRegistry.ListAsync(db, ct);
        http.Response.Headers.CacheControl = "no-cache";
        return TypedResults.Content(Page(sources), "text/html; charset=utf-8");
    }

    private static readonly TimeZoneInfo Paris = SourceRegistry.TimeZoneOf(SourceDefaults.TimeZone);
    private static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");

    /// <summary>Encodes what HTML needs (&lt;, &gt;, &amp;, quotes) and leaves French letters readable.</summary>
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);

    /// <summary>The page: a table of the sources; every value from the database is HTML-encoded.</summary>
    internal static string Page(IReadOnlyList<SourceView> sources)
    {
        static string E(string? text) => Html.Encode(text ?? "");
        static string When(DateTimeOffset? t) => t is { } v
            ? TimeZoneInfo.ConvertTime(v, Paris).ToString("d MMMM yyyy 'à' HH'h'mm", French)
            : "jamais";
        static string Count(ImportRun? run, Func<ImportRun, int> count) =>
            run is null ? "—" : count(run).ToString("N0", French);
        var rows = new StringBuilder();
        foreach (var (source, run) in sources)
        {
            var report = source.LastRunId is null ? "—"
                : $"<a href=\"/sources/{E(Uri.EscapeDataString(source.Name))}/report.json\">rapport"
                + $"<span class=\"visuellement-cache\"> de {E(source.Name)}</span></a>";
            rows.Append(CultureInfo.InvariantCulture, $"""
                      <tr>
                        <th scope="row">{E(source.Name)}<br><span class="detail">{E(source.Attribution ?? source.Owner)}</span></th>
                        <td>{When(source.LastAttemptAt ?? source.LastSuccessAt)}</td>
                        <td>{E(StatusText(source.Status))}<br><span class="detail">{E(source.Message)}</span></td>
                        <td>{Count(run, r => r.Read)}</td>
                        <td>{Count(run, r => r.Inserted)}</td>
                        <td>{Count(run, r => r.Updated)}</td>
                        <td>{Count(run, r => r.Retired)}</td>
                        <td>{Count(run, r => r.Rejected)}</td>
                        <td>{report}</td>
                      </tr>

                """);
        }
        return $"""
            <!doctype html>
            <html lang="fr">
            <head>
              <meta charset="utf-8">
              <meta name="viewport" content="width=device-width, initial-scale=1">
              <link rel="icon" href="data:,">
              <title>Sources des données — InclusionMap</title>
              <link rel="stylesheet" href="/app/app.css">
            </head>
            <body>
              <a class="skip" href="#contenu">Aller au contenu</a>
              <header class="site-header">
                <p class="brand"><a href="/">InclusionMap</a></p>
                <nav aria-label="Navigation principale">
                  <ul>
                    <li><a href="/">Trouver un lieu</a></li>
                    <li><a href="/couverture">Couverture (coordinateurs)</a></li>
                    <li><a href="/sources" aria-current="page">Sources des données</a></li>
                  </ul>
                </nav>
              </header>
              <main id="contenu" tabindex="-1">
                <h1>Sources des données</h1>
                <p class="intro">Les lieux de l'annuaire viennent de ces producteurs. Chaque source est relue selon son calendrier ;
                  un lieu qui disparaît du fichier de sa source est retiré de l'annuaire, et revient s'il réapparaît.</p>
                <table class="sources">
                  <caption>Dernière synchronisation de chaque source ({sources.Count.ToString(French)} sources), avec les lieux lus,
                    nouveaux, modifiés, retirés et rejetés par le dernier fichier lu</caption>
                  <thead>
                    <tr>
                      <th scope="col">Source</th>
                      <th scope="col">Dernière synchronisation</th>
                      <th scope="col">État</th>
                      <th scope="col">Lus</th>
                      <th scope="col">Nouveaux</th>
                      <th scope="col">Modifiés</th>
                      <th scope="col">Retirés</th>
                      <th scope="col">Rejetés</th>
                      <th scope="col">Rapport</th>
                    </tr>
                  </thead>
                  <tbody>
            {rows}      </tbody>
                </table>
              </main>
            </body>
            </html>

            """;
    }

    /// <summary>A status as the page says it.</summary>
    public static string StatusText(string status) => status switch
    {
        SourceStatus.Applied => "À jour : fichier appliqué",
        SourceStatus.Unchanged => "À jour : fichier inchangé",
        SourceStatus.Unreachable => "Injoignable : rien n'a changé",
        SourceStatus.Flagged => "À vérifier : fichier refusé, rien n'a changé",
        _ => "Jamais synchronisée",
    };
}
