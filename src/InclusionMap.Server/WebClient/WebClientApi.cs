namespace InclusionMap.Server.WebClient;

/// <summary>
/// The web client's pages: <c>/</c> (residents), <c>/couverture</c> (coordinators), <c>/embed</c> (the widget in an
/// iframe). Their scripts and styles are static files under wwwroot (<c>/app/</c>, <c>/widget.js</c>, <c>/vendor/</c>).
/// </summary>
public static class WebClientApi
{
    public static IEndpointRouteBuilder MapWebClient(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", (HttpContext http) => Page(http, "index.html")).ExcludeFromDescription();
        app.MapGet("/couverture", (HttpContext http) => Page(http, "couverture.html")).ExcludeFromDescription();
        app.MapGet("/embed", (HttpContext http) => Page(http, "embed.html", framable: true)).ExcludeFromDescription();
        return app;
    }

    private static IResult Page(HttpContext http, string file, bool framable = false)
    {
        http.Response.Headers.CacheControl = "no-cache";
        // Our pages may not be framed by others, except the embed page, which exists for that.
        if (!framable) http.Response.Headers.XFrameOptions = "SAMEORIGIN";
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
        return TypedResults.PhysicalFile(Path.Combine(AppContext.BaseDirectory, "wwwroot", file), "text/html; charset=utf-8");
    }
}
