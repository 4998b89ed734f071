using InclusionMap.Data;
using InclusionMap.Data.Sites;
using InclusionMap.Server.Accounts;
using InclusionMap.Server.Catalogue;
using InclusionMap.Server.Coverage;
using InclusionMap.Server.Errors;
using InclusionMap.Server.GraphQL;
using InclusionMap.Server.Health;
using InclusionMap.Server.Limits;
using InclusionMap.Server.Moderation;
using InclusionMap.Server.OData;
using InclusionMap.Server.Sources;
using InclusionMap.Server.Places;
using InclusionMap.Server.Tiles;
using InclusionMap.Server.WebClient;

namespace InclusionMap.Server;

/// <summary>Composes the web application: services, middleware and every API, in one readable place.</summary>
public static class InclusionMapApp
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    public static WebApplication Build(CatalogueSettings settings, string[] hostArgs, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = hostArgs,
            ContentRootPath = AppContext.BaseDirectory,
        });
        if (builder.Configuration["urls"] is null && builder.Configuration["http_ports"] is null
            && !builder.Configuration.GetSection("Kestrel:Endpoints").Exists())
            builder.WebHost.UseUrls(DefaultUrl);
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });

        // Extra wiring first (tests: configuration values, interceptors), so the registrations below read it.
        configure?.Invoke(builder);
        builder.AddWebSecurity();
        builder.AddPlacePages();
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton<CatalogueState>();
        // Migrations and the seed use the primary as the owner; what the web writes (accounts, sign-ins, audit), the primary
        // as the editor role (CatalogueWriteDbContext); every API query gets the read data source: the private cluster's
        // read-only role, or ConnectionStrings__CatalogueReadOnly (else the primary). NpgsqlDataSource and the pooled DbContext are reads.
        builder.Services.AddSingleton(_ => new CatalogueDataSources(
            CatalogueDatabase.CreateDataSource(settings.EffectiveConnectionString, CatalogueDatabase.DataSourceName),
            settings.EffectiveReadConnectionString is { } reads ? CatalogueDatabase.CreateReadDataSource(reads) : null,
            settings.EffectiveWebWriteConnectionString is { } writes ? CatalogueDatabase.CreateWebWriteDataSource(writes) : null));
        builder.Services.AddSingleton(sp => sp.GetRequiredService<CatalogueDataSources>().Reads);
        builder.AddReadRetry();
        // Interceptors registered in DI (tracing, or tests capturing the SQL) join every context.
        builder.Services.AddDbContextPool<CatalogueDbContext>((sp, options) => CatalogueDatabase.Configure(options,
                sp.GetRequiredService<Npgsql.NpgsqlDataSource>(), sp.GetRequiredService<ReadRetry>())
            .AddInterceptors(sp.GetServices<Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor>()));
        builder.Services.AddHostedService<CatalogueStartup>();
        builder.AddLivingCatalogue();
        var search = builder.AddValidatedOptions<SiteSearchOptions>(SiteSearchOptions.Section);
        builder.AddValidatedOptions<CacheOptions>(CacheOptions.Section);
        builder.Services.AddSingleton<SiteQuery>();
        builder.Services.AddHealth();
        builder.Services.AddTiles();
        builder.Services.AddCoverage();
        builder.Services.AddInclusionMapGraphQL();
        builder.Services.AddODataApi(search);
        builder.AddAccounts(settings);
        builder.AddModeration();
        builder.AddErrorHandling();
        // Text answers (pages, scripts, JSON, GeoJSON, CSV) travel compressed to browsers that ask; tiles and PNG do not.
        builder.Services.AddResponseCompression(o =>
        {
            o.EnableForHttps = true;
            o.MimeTypes = Microsoft.AspNetCore.ResponseCompression.ResponseCompressionDefaults.MimeTypes
                .Concat(["application/graphql-response+json", "application/geo+json", "text/csv", "image/svg+xml"]);
        });
        builder.AddRequestLimits();

        var app = builder.Build();
        app.UseWebSecurity();
        // Failures answer an RFC 7807 problem with a code and the trace id: never a stack trace.
        app.UseErrorHandling();
        app.UseResponseCompression();
        app.UseForwardedHeaders();
        app.UseReadinessGate();
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(Path.Combine(AppContext.BaseDirectory, "wwwroot")),
            ContentTypeProvider = StaticContentTypes(),
            // The widget, the helpers it imports (api.js, basemap.js) and the vendor files are fetched by partner pages; vendor
            // files change only with their version.
            OnPrepareResponse = static context =>
            {
                var path = context.Context.Request.Path;
                context.Context.Response.Headers.CacheControl =
                    path.StartsWithSegments("/vendor") ? "public, max-age=604800" : "public, max-age=300";
                if (path == "/widget.js" || path == "/app/api.js" || path == "/app/basemap.js" || path.StartsWithSegments("/vendor"))
                    context.Context.Response.Headers.AccessControlAllowOrigin = "*";
            },
        });
        app.UseAccounts(settings);
        app.UseCors();
        app.UseRequestLimits();
        app.UseOutputCache();
        app.MapHealthApi();
        app.MapTilesApi();
        app.MapGraphQLApi();
        app.MapODataApi();
        app.MapCoverageApi();
        app.MapWebClient();
        app.MapSourcesApi();
        app.MapAccountPages();
        app.MapModerationPages();
        app.MapPlacePages();
        return app;
    }

    /// <summary>ES modules must be served as JavaScript for browsers to run them.</summary>
    private static Microsoft.AspNetCore.StaticFiles.FileExtensionContentTypeProvider StaticContentTypes()
    {
        var types = new Microsoft.AspNetCore.StaticFiles.FileExtensionContentTypeProvider();
        types.Mappings[".mjs"] = "text/javascript";
        types.Mappings[".mvt"] = "application/vnd.mapbox-vector-tile";
        return types;
    }

    /// <summary>
    /// Until the catalogue is migrated and seeded, every request but <c>/health</c> gets a 503 problem, code
    /// <c>STARTING</c>, with Retry-After.
    /// </summary>
    private static void UseReadinessGate(this WebApplication app)
    {
        var state = app.Services.GetRequiredService<CatalogueState>();
        app.Use(async (context, next) =>
        {
            if (state.Ready || context.Request.Path.StartsWithSegments("/health"))
            {
                await next(context);
                return;
            }
            await ErrorHandling.WriteProblemAsync(context, StatusCodes.Status503ServiceUnavailable, "STARTING",
                $"InclusionMap démarre ({state.Phase}) : réessayez dans quelques secondes. InclusionMap is starting ({state.Phase}).");
        });
    }
}
