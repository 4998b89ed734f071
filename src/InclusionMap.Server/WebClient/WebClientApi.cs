using Microsoft.Extensions.Options;

namespace InclusionMap.Server.WebClient;

/// <summary>
/// The web client's pages: <c>/</c> (residents), <c>/couverture</c> (coordinators), <c>/embed</c> (the widget in an
/// iframe), <c>/integrer</c> (a partner builds the widget's snippet), and <c>/maps/basemap.json</c> (every map's
/// background). Their scripts and styles are static files under wwwroot (<c>/app/</c>, <c>/widget.js</c>, <c>/vendor/</c>).
/// </summary>
public static class WebClientApi
{
    public static IEndpointRouteBuilder MapWebClient(this IEndpointRouteBuilder app)
    {
        // HEAD as well as GET, as for the static files (link checkers and monitors ask with HEAD).
        string[] methods = [HttpMethods.Get, HttpMethods.Head];
        app.MapMethods("/", methods, (HttpContext http) => Page(http, "index.html")).ExcludeFromDescription();
        app.MapMethods("/couverture", methods, (HttpContext http) => Page(http, "couverture.html")).ExcludeFromDescription();
        app.MapMethods("/embed", methods, (HttpContext http) => Page(http, "embed.html")).ExcludeFromDescription()
            .WithSecurityHeadersPolicy(WebSecurity.EmbedPolicy);
        app.MapGet("/integrer", (HttpContext http) => Page(http, "integrer.html")).ExcludeFromDescription();
        // Every map reads its background here, partner pages' widgets too (hence CORS).
        app.MapGet("/maps/basemap.json", (HttpContext http, IOptions<MapOptions> map) =>
        {
            http.Response.Headers.CacheControl = "public, max-age=300";
            http.Response.Headers.AccessControlAllowOrigin = "*";
            var options = map.Value;
            return TypedResults.Json(options.Configured ? new Basemap(options.StyleUrl, options.Attribution) : new Basemap(null, null));
        }).WithTags("Maps");
        return app;
    }

    /// <summary>The configured map style and its credit; both null when the maps draw our commune outlines.</summary>
    private sealed record Basemap(string? StyleUrl, string? Attribution);

    /// <remarks>Security headers (no framing but <c>/embed</c>, CSP…) come from <see cref="WebSecurity"/>, as on every answer.</remarks>
    private static IResult Page(HttpContext http, string file)
    {
        http.Response.Headers.CacheControl = "no-cache";
        return TypedResults.PhysicalFile(Path.Combine(AppContext.BaseDirectory, "wwwroot", file), "text/html; charset=utf-8");
    }
}
