using Microsoft.Extensions.Options;

namespace InclusionMap.Server.WebClient;

/// <summary>
/// Security headers on every answer (pages, APIs, static files, errors), set by NetEscapades.AspNetCore.SecurityHeaders
/// just before the response starts: a Content-Security-Policy with no inline script, <c>nosniff</c>, a referrer policy,
/// no framing except <c>/embed</c> (<see cref="EmbedOptions"/>), HSTS over HTTPS, and no <c>Server</c> header.
/// Every setting and why is in docs/security.md.
/// </summary>
public static class WebSecurity
{
    /// <summary>The policy of <c>/embed</c>, the one page partner sites may frame.</summary>
    public const string EmbedPolicy = "embed";

    /// <summary>
    /// The policy of GraphiQL (<c>/graphql</c> answering a browser with HTML): its stylesheet embeds its fonts as data: URLs.
    /// </summary>
    public const string GraphiQLPolicy = "graphiql";

    public static WebApplicationBuilder AddWebSecurity(this WebApplicationBuilder builder)
    {
        builder.WebHost.ConfigureKestrel(o => o.AddServerHeader = false);
        builder.Services.AddOptions<EmbedOptions>().BindConfiguration(EmbedOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<EmbedOptions>, EmbedOptions.Validator>();
        builder.AddValidatedOptions<MapOptions>(MapOptions.Section);
        builder.Services.AddSecurityHeaderPolicies((policies, services) =>
        {
            var embed = services.GetRequiredService<IOptions<EmbedOptions>>().Value;
            var framers = embed.AllowedOrigins.Select(o => EmbedOptions.Origin(o)!).ToList();
            var basemap = services.GetRequiredService<IOptions<MapOptions>>().Value.CspOrigins;
            policies.SetDefaultPolicy(p => Common(p, framers: [], basemap).AddFrameOptionsDeny());
            // Any site by default: no frame-ancestors at all (X-Frame-Options cannot name several origins, so it is left out).
            policies.AddPolicy(EmbedPolicy, p => Common(p, framers.Count == 0 ? null : framers, basemap));
            policies.AddPolicy(GraphiQLPolicy, p => Common(p, framers: [], [], fontsFromData: true).AddFrameOptionsDeny());
            // The GraphQL endpoint serves GraphiQL itself; chosen here from the answer, just before it starts.
            policies.SetPolicySelector(context =>
                context.HttpContext.Request.Path == "/graphql"
                && context.HttpContext.Response.ContentType?.StartsWith("text/html", StringComparison.Ordinal) == true
                    ? context.ConfiguredPolicies[GraphiQLPolicy]
                    : context.SelectedPolicy);
        });
        return builder;
    }

    /// <summary>First in the pipeline, so that static files, errors and the readiness answer carry the headers too.</summary>
    public static WebApplication UseWebSecurity(this WebApplication app)
    {
        app.UseSecurityHeaders();
        return app;
    }

    /// <param name="policy">The collection to fill.</param>
    /// <param name="framers">Origins that may frame the answer besides its own: empty for none at all, null for any.</param>
    /// <param name="basemap">The origins of the configured map style (<see cref="MapOptions"/>), which the maps fetch from.</param>
    /// <param name="fontsFromData">Whether fonts may come from data: URLs (GraphiQL only).</param>
    private static HeaderPolicyCollection Common(
        HeaderPolicyCollection policy, IReadOnlyList<string>? framers, IReadOnlyList<string> basemap, bool fontsFromData = false) => policy
        .AddContentTypeOptionsNoSniff()
        .AddReferrerPolicyStrictOriginWhenCrossOrigin()
        .AddStrictTransportSecurityMaxAge()
        .RemoveServerHeader()
        .AddContentSecurityPolicy(csp =>
        {
            csp.AddDefaultSrc().Self();
            csp.AddScriptSrc().Self();
            csp.AddStyleSrc().Self();
            // MapLibre's stylesheet draws its control icons as data: SVG images; the pages' empty icon is one too.
            csp.AddImgSrc().Self().Data().From(basemap);
            if (fontsFromData) csp.AddFontSrc().Self().Data();
            else csp.AddFontSrc().Self();
            csp.AddConnectSrc().Self().From(basemap);
            csp.AddWorkerSrc().Self();
            csp.AddObjectSrc().None();
            csp.AddBaseUri().None();
            csp.AddFormAction().Self();
            if (framers is null) return;
            if (framers.Count == 0) csp.AddFrameAncestors().None();
            else csp.AddFrameAncestors().Self().From(framers);
        });
}
