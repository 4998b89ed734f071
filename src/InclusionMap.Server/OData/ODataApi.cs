using InclusionMap.Data;
using InclusionMap.Data.Sites;
using InclusionMap.Server.Errors;
using Microsoft.AspNetCore.OData;
using Microsoft.AspNetCore.OData.Formatter.Serialization;
using Microsoft.AspNetCore.OData.Query.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.OData.Edm;

namespace InclusionMap.Server.OData;

/// <summary>
/// The OData v4 feed at <c>/odata</c> (Excel, Power BI, any OData client): Sites, Communes, Departements, Regions, with
/// $filter/$select/$orderby/$top/$skip/$count/$expand/$search/$apply/$compute and geo.distance/geo.intersects on PostGIS.
/// ASP.NET Core OData routes to controllers, so this is the one API of the app that uses them.
/// </summary>
public static class ODataApi
{
    public const string RoutePrefix = "odata";

    /// <summary>Registers the feed; <paramref name="search"/> holds the limits of every site search, which the binders check too.</summary>
    public static IServiceCollection AddODataApi(this IServiceCollection services, SiteSearchOptions search)
    {
        services.AddDbContextPool<CatalogueFeedDbContext>((sp, options) => CatalogueDatabase.Configure(options,
                sp.GetRequiredService<Npgsql.NpgsqlDataSource>(), sp.GetRequiredService<ReadRetry>())
            .UseQueryTrackingBehavior(QueryTrackingBehavior.NoTracking)
            .AddInterceptors(sp.GetServices<IInterceptor>()));
        FeedEdm.RegisterSpatialOverloads();
        var model = FeedEdm.Build();
        var spatial = new GeoTranslation(search);
        // MVC's core only (AddControllers would add authorization, and with it authentication and authorization
        // middleware in front of every request of every API, for a service that has no users to authenticate).
        // The entry assembly is not always this one (tests, embedding): name the part holding the controllers.
        services.AddMvcCore()
            .AddApplicationPart(typeof(ODataApi).Assembly)
            .AddApplicationPart(typeof(Microsoft.AspNetCore.OData.Routing.Controllers.MetadataController).Assembly)
            .AddOData(options => options
                .EnableQueryFeatures(FeedQuery.MaxTop)
                .AddRouteComponents(RoutePrefix, model, route =>
                {
                    route.AddSingleton<IFilterBinder>(_ => new FeedFilterBinder(spatial));
                    route.AddSingleton<IOrderByBinder>(_ => new FeedOrderByBinder(spatial));
                    route.AddSingleton<ISearchBinder, FeedSearchBinder>();
                    route.AddSingleton<ISelectExpandBinder>(sp =>
                        new FeedSelectExpandBinder(sp.GetRequiredService<IFilterBinder>(), sp.GetRequiredService<IOrderByBinder>(),
                            spatial));
                    route.AddSingleton<ODataResourceSerializer, FeedResourceSerializer>();
                }));
        services.AddSingleton<IEdmModel>(model);
        services.AddSingleton(sp => new NearestFeedPage(model, sp.GetRequiredService<SiteQuery>()));
        return services;
    }

    public static WebApplication MapODataApi(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ODataApi));
        var nearest = app.Services.GetRequiredService<NearestFeedPage>();
        app.UseWhen(c => c.Request.Path.StartsWithSegments("/" + RoutePrefix), branch => branch
            // Errors from parsing, validation, translation or the database, in the OData error format.
            .Use(async (context, next) =>
            {
                try
                {
                    await next(context);
                }
                catch (Exception e) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
                {
                    var (status, code, message) = FeedErrors.Classify(e);
                    ErrorHandling.Log(logger, context, e, new ErrorHandling.Failure(status, code, message));
                    if (status < 500) logger.LogDebug(e, "OData query refused: {Code}", code);
                    await FeedErrors.WriteAsync(context, status, code, message);
                }
            })
            // OData allows each system query option once; ASP.NET Core would join repeated values with commas
            // ($orderby=Nom&$orderby=Id read as "Nom,Id").
            .Use(async (context, next) =>
            {
                if (context.Request.Query.FirstOrDefault(q => q.Key.StartsWith('$') && q.Value.Count > 1).Key is { } repeated)
                    await FeedErrors.WriteAsync(context, 400, "InvalidQuery",
                        $"'{repeated}' is given more than once; give each query option once.");
                else await next(context);
            })
            // The nearest page of a few plain columns, straight to SQL and JSON; any other request goes on to MVC.
            .Use(async (context, next) =>
            {
                if (!await nearest.TryServeAsync(context)) await next(context);
            }));
        app.MapControllers();
        // Whatever the OData routes did not take: an unknown entity set, a malformed key, a method other than GET.
        app.Map("/" + RoutePrefix + "/{**rest}", (HttpContext context, string? rest) =>
        {
            // Sites('abc'): a known set with a key of the wrong form. Anything longer (Sites(1)/Nom) is an address we do not serve.
            var set = (rest ?? "").Split('(', '/')[0];
            var keyOnly = System.Text.RegularExpressions.Regex.IsMatch(rest ?? "", @"^\w+\([^/]*\)$");
            return set is "Sites" or "Communes" or "Departements" or "Regions" && keyOnly && HttpMethods.IsGet(context.Request.Method)
                ? FeedErrors.WriteAsync(context, 400, "InvalidKey",
                    $"'{rest}' is not a valid key address: Sites(123), Communes('23096'), Departements('23'), Regions('75').")
                : FeedErrors.WriteAsync(context, 404, "NotFound",
                    $"'/{RoutePrefix}/{rest}' is not a resource of this service; see /{RoutePrefix}/$metadata.");
        }).ExcludeFromDescription();
        return app;
    }
}
