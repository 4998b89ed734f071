using System.Globalization;
using System.Text;
using System.Xml;
using InclusionMap.Core.Places;
using InclusionMap.Data;
using InclusionMap.Data.Sites;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace InclusionMap.Server.Places;

/// <summary>
/// A page for every place: <c>/lieux/{id}-{slug}</c> (Razor components rendered on the server, complete without
/// JavaScript; <c>/lieux/{id}</c> and any other slug redirect to it), <c>/sitemap.xml</c> listing every place's page (or,
/// past <see cref="PlacePagesOptions.SitemapSize"/> addresses, a sitemap index of <c>/sitemap-{n}.xml</c>) and
/// <c>/robots.txt</c> pointing to it. An unknown place answers 404 with the way back to the search.
/// </summary>
public static class PlacePagesApi
{
    /// <summary>The key of the pages' <see cref="TimeProvider"/> among the services.</summary>
    public const string ClockKey = "pages";

    private const string SitemapNamespace = "http://www.sitemaps.org/schemas/sitemap/0.9";

    public static WebApplicationBuilder AddPlacePages(this WebApplicationBuilder builder)
    {
        builder.AddValidatedOptions<PlacePagesOptions>(PlacePagesOptions.Section);
        builder.Services.AddRazorComponents();
        // "Open now" is read against this clock, of the pages alone; tests give them a fixed one.
        builder.Services.TryAddKeyedSingleton(ClockKey, TimeProvider.System);
        return builder;
    }

    public static IEndpointRouteBuilder MapPlacePages(this IEndpointRouteBuilder app)
    {
        string[] getOrHead = [HttpMethods.Get, HttpMethods.Head];
        app.MapMethods("/lieux/{key}", getOrHead, ShowAsync).WithTags("Pages");
        app.MapMethods("/sitemap.xml", getOrHead, SitemapAsync).WithTags("Pages");
        app.MapMethods("/sitemap-{page:int}.xml", getOrHead, SitemapPageAsync).WithTags("Pages");
        app.MapMethods("/robots.txt", getOrHead, (HttpContext http) =>
            TypedResults.Text($"User-agent: *\nAllow: /\nSitemap: {BaseUrl(http)}/sitemap.xml\n", "text/plain; charset=utf-8"))
            .WithTags("Pages");
        return app;
    }

    private static async Task<Results<RazorComponentResult<PlacePage>, RedirectHttpResult, RazorComponentResult<PlaceNotFound>>> ShowAsync(
        string key, HttpContext http, SiteQuery sites, CatalogueDbContext db, [FromKeyedServices(ClockKey)] TimeProvider clock,
        CancellationToken ct)
    {
        var dash = key.IndexOf('-', StringComparison.Ordinal);
        var digits = dash < 0 ? key : key[..dash];
        if (digits.Length is 0 or > 18 || !long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            return NotFound();
        var site = (await sites.ByIdsAsync([id], null, includeRetired: true, ct)).FirstOrDefault();
        if (site is null) return NotFound();
        if (site.RetiredAt is { } retiredAt) return Gone(retiredAt);
        var path = PlaceView.PathOf(site.Id, site.Nom);
        if (!string.Equals(http.Request.Path.Value, path, StringComparison.Ordinal))
            return TypedResults.Redirect(path + http.Request.QueryString, permanent: true);

        var sources = await db.SiteSources.AsNoTracking().Where(s => s.SiteId == id).OrderBy(s => s.Id)
            .Select(s => new PlaceSource(s.Dataset, s.DateMaj, s.ImportedAt)).ToListAsync(ct);
        var commune = site.CommuneCode is null ? null
            : await db.Communes.AsNoTracking().Where(c => c.Code == site.CommuneCode).Select(c => c.Nom).FirstOrDefaultAsync(ct);
        var departement = site.DepartementCode is null ? null
            : await db.Departements.AsNoTracking().Where(d => d.Code == site.DepartementCode).Select(d => d.Nom).FirstOrDefaultAsync(ct);
        var view = new PlaceView
        {
            Site = site,
            CanonicalUrl = BaseUrl(http) + path,
            CommuneName = commune,
            DepartementName = departement,
            Hours = PlaceHours.Create(OpeningHoursCache.Parse(site.Horaires), site.DepartementCode, clock.GetUtcNow()),
            Sources = sources,
        };
        // "Open now" ages by the minute.
        http.Response.Headers.CacheControl = "public, max-age=60";
        return new RazorComponentResult<PlacePage>(new { View = view });
    }

    private static RazorComponentResult<PlaceNotFound> NotFound() => new() { StatusCode = StatusCodes.Status404NotFound };

    /// <summary>A place no source lists any more (410: search engines drop the page), with the date it left.</summary>
    private static RazorComponentResult<PlaceNotFound> Gone(DateTimeOffset retiredAt) =>
        new(new { RetiredAt = (DateTimeOffset?)retiredAt }) { StatusCode = StatusCodes.Status410Gone };

    private static readonly IReadOnlyCollection<SiteField> SitemapFields =
        [SiteFields.ByName[nameof(Site.Nom)], SiteFields.ByName[nameof(Site.UpdatedAt)]];

    /// <summary>
    /// Every place's page (sitemaps.org 0.9) with the date the catalogue last changed it, streamed as the sites are read;
    /// or, for a catalogue larger than one file, the index of the files.
    /// </summary>
    private static async Task SitemapAsync(HttpContext http, SiteQuery sites, IOptions<PlacePagesOptions> options, CancellationToken ct)
    {
        var size = options.Value.SitemapSize;
        var count = await sites.CountAsync(new SiteFilter(), ct);
        await using var xml = await StartXmlAsync(http);
        if (count + 1 <= size)
        {
            await xml.WriteStartElementAsync(null, "urlset", SitemapNamespace);
            await WriteUrlAsync(xml, BaseUrl(http) + "/", null);
            await WritePlacesAsync(xml, BaseUrl(http), sites, skip: 0, take: count, ct);
        }
        else
        {
            await xml.WriteStartElementAsync(null, "sitemapindex", SitemapNamespace);
            for (var page = 1; page <= (count + size - 1) / size; page++)
            {
                await xml.WriteStartElementAsync(null, "sitemap", null);
                var file = $"{BaseUrl(http)}/sitemap-{page.ToString(CultureInfo.InvariantCulture)}.xml";
                await xml.WriteElementStringAsync(null, "loc", null, file);
                await xml.WriteEndElementAsync();
            }
        }
        await xml.WriteEndElementAsync();
        await xml.WriteEndDocumentAsync();
    }

    /// <summary>
    /// One file of the index: the <paramref name="page"/>-th run of places in id order; 404 when there is no index or no
    /// such file.
    /// </summary>
    private static async Task SitemapPageAsync(
        int page, HttpContext http, SiteQuery sites, IOptions<PlacePagesOptions> options, CancellationToken ct)
    {
        var size = options.Value.SitemapSize;
        var count = await sites.CountAsync(new SiteFilter(), ct);
        if (count + 1 <= size || page < 1 || (long)(page - 1) * size >= count)
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        await using var xml = await StartXmlAsync(http);
        await xml.WriteStartElementAsync(null, "urlset", SitemapNamespace);
        await WritePlacesAsync(xml, BaseUrl(http), sites, skip: (page - 1) * size, take: size, ct);
        await xml.WriteEndElementAsync();
        await xml.WriteEndDocumentAsync();
    }

    private static async Task<XmlWriter> StartXmlAsync(HttpContext http)
    {
        http.Response.ContentType = "application/xml; charset=utf-8";
        http.Response.Headers.CacheControl = "public, max-age=3600";
        var settings = new XmlWriterSettings { Async = true, Encoding = new UTF8Encoding(false), Indent = false };
        var xml = XmlWriter.Create(http.Response.Body, settings);
        await xml.WriteStartDocumentAsync();
        return xml;
    }

    private static async Task WritePlacesAsync(XmlWriter xml, string origin, SiteQuery sites, int skip, int take, CancellationToken ct)
    {
        var index = 0;
        await foreach (var site in sites.EveryAsync(new SiteFilter(), SitemapFields, ct))
        {
            if (index++ < skip) continue;
            if (index > skip + take) break;
            await WriteUrlAsync(xml, origin + PlaceView.PathOf(site.Id, site.Nom), site.UpdatedAt);
        }
    }

    private static async Task WriteUrlAsync(XmlWriter xml, string location, DateTimeOffset? modified)
    {
        await xml.WriteStartElementAsync(null, "url", null);
        await xml.WriteElementStringAsync(null, "loc", null, location);
        if (modified is { } m)
            await xml.WriteElementStringAsync(null, "lastmod", null, m.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await xml.WriteEndElementAsync();
    }

    /// <summary>The address the visitor reached us at (behind a proxy, its forwarded scheme), for absolute links.</summary>
    private static string BaseUrl(HttpContext http) => $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}";
}
