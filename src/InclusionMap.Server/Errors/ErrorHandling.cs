using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using InclusionMap.Data;
using InclusionMap.Data.Sites;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace InclusionMap.Server.Errors;

/// <summary>
/// How the app answers what it refuses and what fails, outside GraphQL and OData (which answer in their own formats
/// with the same codes and trace id): an RFC 7807 problem with a stable <c>code</c> of the project's vocabulary, a
/// readable <c>detail</c> and the request's <c>traceId</c>, never an exception's text, SQL, a path or a stack trace.
/// Refusals are 4xx; a database that is down or restarting is 503 with <c>Retry-After</c>; anything else is a 500,
/// logged with the same trace id. Empty error answers (an unknown address, a wrong method) get a problem body too.
/// </summary>
public static partial class ErrorHandling
{
    /// <summary>Seconds a client should wait before asking again when the database is unavailable.</summary>
    public const int RetryAfterSeconds = 5;

    public static WebApplicationBuilder AddErrorHandling(this WebApplicationBuilder builder)
    {
        builder.Services.AddExceptionHandler<ApiExceptionHandler>();
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
        {
            var problem = context.ProblemDetails;
            var status = problem.Status ?? context.HttpContext.Response.StatusCode;
            var (code, title, detail) = ForStatus(status);
            problem.Extensions.TryAdd("code", code);
            problem.Title ??= title;
            problem.Detail ??= detail;
            problem.Extensions["traceId"] = TraceId(context.HttpContext);
        });
        return builder;
    }

    /// <summary>
    /// Exceptions become problems (<see cref="ApiExceptionHandler"/>), then empty 4xx/5xx answers get a problem body.
    /// </summary>
    public static WebApplication UseErrorHandling(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        return app;
    }

    /// <summary>
    /// The request's trace id: the W3C trace id of its activity (what OpenTelemetry exports), else ASP.NET Core's
    /// request id.
    /// </summary>
    public static string TraceId(HttpContext http) => Activity.Current?.TraceId.ToHexString() ?? http.TraceIdentifier;

    /// <summary>The code, title and detail of an answer that has only a status.</summary>
    public static (string Code, string Title, string Detail) ForStatus(int status) => status switch
    {
        400 => ("BAD_REQUEST", "Bad request", "The request cannot be read; see the API guides in docs/."),
        404 => ("NOT_FOUND", "Not found", "Nothing is served at this address."),
        405 => ("METHOD_NOT_ALLOWED", "Method not allowed", "This address does not accept this HTTP method."),
        406 => ("NOT_ACCEPTABLE", "Not acceptable", "No representation matches the Accept header."),
        408 => ("REQUEST_TIMEOUT", "Request timeout", "The request took too long to arrive."),
        413 => ("REQUEST_TOO_LARGE", "Request too large", "The request body is too large."),
        414 => ("URI_TOO_LONG", "URI too long", "The address is too long."),
        415 => ("UNSUPPORTED_MEDIA_TYPE", "Unsupported media type", "The Content-Type of the request is not accepted here."),
        416 => ("RANGE_NOT_SATISFIABLE", "Range not satisfiable", "The requested range is outside the file."),
        429 => ("TOO_MANY_REQUESTS", "Too many requests", "Too many requests: slow down and retry later."),
        431 => ("HEADERS_TOO_LARGE", "Headers too large", "The request headers are too large."),
        503 => ("SERVICE_UNAVAILABLE", "Service unavailable", "The service is unavailable; retry in a few seconds."),
        >= 500 => ("INTERNAL_ERROR", "Internal error",
            "The service failed to answer; the trace id identifies the failure in its logs."),
        _ => ("BAD_REQUEST", "Bad request", "The request was refused."),
    };

    /// <summary>
    /// Writes a problem with this status, code and detail (and the trace id); 503 carries <c>Retry-After</c>. A client
    /// that accepts no JSON gets the same words as one line of text: <c>CODE: detail (trace id …)</c>.
    /// </summary>
    /// <remarks>
    /// Written here rather than by <see cref="IProblemDetailsService"/>: on an address of the OData controllers its MVC
    /// writer would negotiate with the OData formatters and write nothing. Never with the exception (in Development the
    /// service's writer would show it).
    /// </remarks>
    public static async Task WriteProblemAsync(HttpContext http, int status, string code, string detail)
    {
        var response = http.Response;
        response.StatusCode = status;
        if (status == StatusCodes.Status503ServiceUnavailable)
            response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        var accept = http.Request.GetTypedHeaders().Accept.Where(a => a.Quality is null or > 0).Select(a => a.MediaType.Value).ToList();
        if (accept.Count == 0 || accept.Any(a => a is "*/*" or "application/*" or "application/json" or "application/problem+json"))
        {
            var problem = new ProblemDetails
            {
                Status = status, Title = ForStatus(status).Title, Detail = detail,
                Extensions = { ["code"] = code, ["traceId"] = TraceId(http) },
            };
            await response.WriteAsJsonAsync(problem, (JsonSerializerOptions?)null, "application/problem+json", http.RequestAborted);
            return;
        }
        response.ContentType = "text/plain; charset=utf-8";
        await response.WriteAsync($"{code}: {detail} (trace id {TraceId(http)})\n", http.RequestAborted);
    }

    /// <summary>A failure of the service classified for its answer: the status, the code and a message of our own.</summary>
    public readonly record struct Failure(int Status, string Code, string Message)
    {
        public bool Unexpected => Status == StatusCodes.Status500InternalServerError;
    }

    /// <summary>
    /// What an exception that reached the top of a request means for the client: a question refused by the catalogue
    /// (<see cref="SiteQueryException"/>, 400 with its code), a request the server could not read (400 or 413), the
    /// database unreachable or cancelling a statement that ran too long (503), or an unexpected fault (500). The message
    /// is ours or the catalogue's, never the exception's own text.
    /// </summary>
    public static Failure Classify(Exception exception) => exception switch
    {
        SiteQueryException e => new(StatusCodes.Status400BadRequest, e.Code, e.Message),
        BadHttpRequestException { StatusCode: var status and >= 400 and < 500 } =>
            new(status, ForStatus(status).Code, ForStatus(status).Detail),
        _ when ReadRetry.IsBrokenConnection(exception) || IsOverloaded(exception) =>
            new(StatusCodes.Status503ServiceUnavailable, "DATABASE_UNAVAILABLE", "The database is unavailable; retry in a few seconds."),
        _ when SqlStateOf(exception) == PostgresErrorCodes.QueryCanceled =>
            new(StatusCodes.Status503ServiceUnavailable, "QUERY_TIMEOUT",
                "The database stopped this request after its time limit; narrow it, or retry later."),
        _ => new(StatusCodes.Status500InternalServerError, "INTERNAL_ERROR", ForStatus(500).Detail),
    };

    /// <summary>PostgreSQL out of connections or resources, or no connection free in the pool within its timeout.</summary>
    private static bool IsOverloaded(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is PostgresException p) return p.SqlState.StartsWith("53", StringComparison.Ordinal);
            if (e is NpgsqlException { InnerException: TimeoutException } && e.Message.Contains("pool", StringComparison.OrdinalIgnoreCase))
                return true;
        }
        return false;
    }

    private static string? SqlStateOf(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
            if (e is PostgresException p) return p.SqlState;
        return null;
    }

    /// <summary>
    /// Whether a message written by a library would show internals: a .NET or PostgreSQL type or namespace, SQL, a
    /// stack frame or a path of this machine. Such a message is replaced by one of ours.
    /// </summary>
    public static bool Exposes(string message) => Internals().IsMatch(message);

    [GeneratedRegex(@"System\.|Microsoft\.|Npgsql|Postgres|InclusionMap\.(Core|Data|Server)|Exception|\bat \w+\.|\bSELECT\b|\bFROM\b|ERROR:"
        + @"|\.cs\b|(^|[\s'""(=])/(home|root|tmp|usr|var|etc|work|opt|proc|srv)/", RegexOptions.CultureInvariant)]
    private static partial Regex Internals();

    /// <summary>Text from the request, fit for a log line: control characters replaced, at most 200 characters.</summary>
    public static string ForLog(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var clean = string.Create(Math.Min(text.Length, 200), text, static (span, source) =>
        {
            for (var i = 0; i < span.Length; i++) span[i] = char.IsControl(source[i]) ? '?' : source[i];
        });
        return text.Length > 200 ? clean + "…" : clean;
    }

    /// <summary>
    /// An unexpected failure, with everything needed to find it: the trace id the client received, the request, the
    /// exception.
    /// </summary>
    [LoggerMessage(EventId = 7100, Level = LogLevel.Error,
        Message = "Request failed ({TraceId}): {Method} {Path} answered {Status} {Code}")]
    public static partial void LogUnexpected(ILogger log, Exception exception, string traceId, string method, string path, int status,
        string code);

    /// <summary>The database unavailable or too slow: a warning (it recovers by itself), with the same fields.</summary>
    [LoggerMessage(EventId = 7101, Level = LogLevel.Warning,
        Message = "Request not served ({TraceId}): {Method} {Path} answered {Status} {Code}: {Reason}")]
    public static partial void LogUnavailable(ILogger log, string traceId, string method, string path, int status, string code,
        string reason);

    /// <summary>
    /// Logs a classified failure at its level: 500 as an error with the exception, 503 as a warning, refusals not at all.
    /// </summary>
    public static void Log(ILogger log, HttpContext http, Exception exception, Failure failure)
    {
        var path = ForLog(http.Request.Path.Value);
        if (failure.Unexpected) LogUnexpected(log, exception, TraceId(http), http.Request.Method, path, failure.Status, failure.Code);
        else if (failure.Status >= 500)
        {
            var reason = ForLog((exception.InnerException ?? exception).Message);
            LogUnavailable(log, TraceId(http), http.Request.Method, path, failure.Status, failure.Code, reason);
        }
    }
}
