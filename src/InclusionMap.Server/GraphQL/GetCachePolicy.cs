using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Primitives;

namespace InclusionMap.Server.GraphQL;

/// <summary>
/// GET answers are kept in memory for as long as they tell clients they may be (<c>max-age=60</c>), per query,
/// variables, operation and <c>Accept</c>; one copy serves every origin, as it carries the CORS headers (see
/// <see cref="GraphQLApi"/>). The web client asks by GET, and residents of one commune send the same search. Only
/// answers without errors are kept (those carry <c>public</c>; errors, a failing database included, are
/// <c>no-store</c>). An import shows within that minute, as for browser caches.
/// </summary>
public sealed class GetCachePolicy : IOutputCachePolicy
{
    public const string Name = "graphql-get";

    ValueTask IOutputCachePolicy.CacheRequestAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        var request = context.HttpContext.Request;
        // An answer to a signed-in request (a bearer token) is its own: never stored, never served from the cache.
        var cacheable = HttpMethods.IsGet(request.Method) && !string.IsNullOrEmpty(request.Query["query"])
            && request.Headers.Authorization.Count == 0;
        context.EnableOutputCaching = true;
        context.AllowCacheLookup = cacheable;
        context.AllowCacheStorage = cacheable;
        context.AllowLocking = true;
        context.ResponseExpirationTimeSpan = TimeSpan.FromSeconds(60);
        context.CacheVaryByRules.QueryKeys = new StringValues(["query", "variables", "operationName"]);
        context.CacheVaryByRules.HeaderNames = new StringValues(["Accept"]);
        return ValueTask.CompletedTask;
    }

    ValueTask IOutputCachePolicy.ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellation) =>
        ValueTask.CompletedTask;

    ValueTask IOutputCachePolicy.ServeResponseAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        var response = context.HttpContext.Response;
        if (response.StatusCode != StatusCodes.Status200OK || response.Headers.SetCookie.Count > 0
            || !response.Headers.CacheControl.ToString().StartsWith("public", StringComparison.Ordinal))
            context.AllowCacheStorage = false;
        return ValueTask.CompletedTask;
    }
}
