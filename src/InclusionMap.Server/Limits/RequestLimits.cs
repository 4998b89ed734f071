using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Threading.RateLimiting;
using GraphQL;
using InclusionMap.Server.GraphQL;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Mvc;

namespace InclusionMap.Server.Limits;

/// <summary>
/// What one client may ask of the server: a request budget per client address and class of request (ASP.NET Core's
/// rate limiter, fixed windows from <see cref="RateLimitOptions"/>), a cap on the analyses and printable maps computed at
/// once (<see cref="AnalysisLimiter"/>), and the client's address itself, taken from <c>X-Forwarded-For</c> only when the
/// connection comes from a configured proxy (<see cref="ReverseProxyOptions"/>). A refused request gets 429 (its
/// address's budget is spent) or 503 (the server is busy with analyses), both with <c>Retry-After</c>.
/// </summary>
public static class RequestLimits
{
    public const string RateLimitedCode = "RATE_LIMITED";
    public const string BusyCode = "SERVER_BUSY";

    /// <summary>What a client refused by the analysis cap is told to wait: an analysis takes seconds.</summary>
    private static readonly TimeSpan BusyRetryAfter = TimeSpan.FromSeconds(5);

    public static void AddRequestLimits(this WebApplicationBuilder builder)
    {
        var limits = builder.AddValidatedOptions<RateLimitOptions>(RateLimitOptions.Section);
        var proxies = builder.AddValidatedOptions<ReverseProxyOptions>(ReverseProxyOptions.Section);
        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            // With empty lists the middleware would believe anyone: without a configured proxy it reads no header at all.
            var any = proxies.KnownProxies.Count + proxies.KnownNetworks.Count > 0;
            o.ForwardedHeaders = any ? ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto : ForwardedHeaders.None;
            o.ForwardLimit = proxies.ForwardLimit;
            // ASP.NET Core believes loopback by default; only the configured proxies are believed here.
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
#pragma warning disable ASPDEPR005 // the obsolete list still holds 127.0.0.0/8 by default, and is still read
            o.KnownNetworks.Clear();
#pragma warning restore ASPDEPR005
            foreach (var proxy in proxies.KnownProxies) o.KnownProxies.Add(IPAddress.Parse(proxy));
            foreach (var network in proxies.KnownNetworks) o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        });
        builder.Services.AddSingleton<AnalysisLimiter>();
        builder.Services.AddRateLimiter(o =>
        {
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, (RequestClass Class, string Client)>(http =>
            {
                var requestClass = RequestClassifier.Of(http);
                if (requestClass == RequestClass.Unlimited) return RateLimitPartition.GetNoLimiter((requestClass, ""));
                var window = limits.For(requestClass);
                var client = ClientKey(http.Connection.RemoteIpAddress);
                return RateLimitPartition.GetFixedWindowLimiter((requestClass, client), _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = window.PermitLimit,
                    Window = window.Window,
                    QueueLimit = 0,
                });
            });
            o.OnRejected = (context, _) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait)
                    ? wait
                    : limits.For(RequestClassifier.Of(context.HttpContext)).Window;
                return new ValueTask(RefuseAsync(context.HttpContext, StatusCodes.Status429TooManyRequests, retryAfter));
            };
        });
    }

    /// <summary>
    /// After the static files and CORS (a refusal carries CORS headers, so a partner page can read it), before the output
    /// cache.
    /// </summary>
    public static void UseRequestLimits(this WebApplication app)
    {
        app.Use(async (http, next) =>
        {
            await RequestClassifier.ClassifyAsync(http);
            await next(http);
        });
        app.UseRateLimiter();
        var analyses = app.Services.GetRequiredService<AnalysisLimiter>().Limiter;
        app.Use(async (http, next) =>
        {
            if (RequestClassifier.Of(http) is not (RequestClass.Analysis or RequestClass.Maps))
            {
                await next(http);
                return;
            }
            RateLimitLease lease;
            try
            {
                lease = await analyses.AcquireAsync(1, http.RequestAborted);
            }
            catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
            {
                return; // the client left while waiting for its turn
            }
            using (lease)
            {
                if (lease.IsAcquired) await next(http);
                else await RefuseAsync(http, StatusCodes.Status503ServiceUnavailable, BusyRetryAfter);
            }
        });
    }

    /// <summary>
    /// The budget a client address draws on: the address itself (IPv4, or IPv4 mapped in IPv6), or its /64 network for
    /// IPv6, since one subscriber commonly holds a whole /64 and could otherwise take a new budget per address.
    /// </summary>
    public static string ClientKey(IPAddress? address)
    {
        if (address is null) return "";
        if (address.IsIPv4MappedToIPv6) return address.MapToIPv4().ToString();
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    /// <summary>
    /// 429 or 503 with <c>Retry-After</c> (whole seconds) and a short body: GraphQL's own error format on <c>/graphql</c>,
    /// RFC 7807 problem details elsewhere, plain text to a client that accepts no JSON (an image request).
    /// </summary>
    private static async Task RefuseAsync(HttpContext http, int status, TimeSpan retryAfter)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        var limited = status == StatusCodes.Status429TooManyRequests;
        var code = limited ? RateLimitedCode : BusyCode;
        var message = limited
            ? $"Trop de requêtes depuis votre adresse : réessayez dans {seconds} s. "
              + $"Too many requests from your address: retry in {seconds} s."
            : $"Le serveur calcule déjà trop d'analyses : réessayez dans {seconds} s. "
              + $"The server is busy with analyses: retry in {seconds} s.";
        var response = http.Response;
        response.StatusCode = status;
        response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        response.Headers.CacheControl = "no-store";
        var accept = http.Request.GetTypedHeaders().Accept.Where(a => a.Quality is null or > 0).Select(a => a.MediaType.Value).ToList();
        if (http.Request.Path.StartsWithSegments("/graphql"))
        {
            var json = accept.Contains("application/json")
                && !accept.Any(a => a is GraphQLApi.GraphQLResponseJson or "*/*" or "application/*");
            response.ContentType = (json ? "application/json" : GraphQLApi.GraphQLResponseJson) + "; charset=utf-8";
            var serializer = http.RequestServices.GetRequiredService<IGraphQLTextSerializer>();
            var result = new ExecutionResult { Errors = [new ExecutionError(message) { Code = code }] };
            await serializer.WriteAsync(response.Body, result, http.RequestAborted);
        }
        else if (accept.Count == 0 || accept.Any(a => a is "*/*" or "application/*" or "application/json" or "application/problem+json"))
        {
            // Written here rather than by IProblemDetailsService, whose MVC writer would format it as the OData controllers do.
            var problem = new ProblemDetails { Status = status, Title = limited ? "Too many requests" : "Server busy", Detail = message };
            problem.Extensions["code"] = code;
            await response.WriteAsJsonAsync(problem, (JsonSerializerOptions?)null, "application/problem+json", http.RequestAborted);
        }
        else
        {
            response.ContentType = "text/plain; charset=utf-8";
            await response.WriteAsync(message, http.RequestAborted);
        }
    }
}
