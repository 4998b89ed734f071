using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OData.Routing.Controllers;
using InclusionMap.Data.Sites;
using InclusionMap.Server.Errors;
using Microsoft.OData;
using Npgsql;

namespace InclusionMap.Server.OData;

/// <summary>
/// Every failure under <c>/odata</c> answers in the OData JSON error format
/// <c>{"error":{"code","message","innererror":{"traceId"}}}</c>: a bad query is a 400 whose message says what to fix,
/// an unknown address a 404, the database unavailable a 503 with <c>Retry-After</c>. Only a genuine server fault is a
/// 500; no answer carries internal details (a library message that would show a .NET type, SQL or a path is replaced),
/// and <c>innererror</c> holds only the trace id, under which a 5xx is logged.
/// </summary>
public static class FeedErrors
{
    public static IActionResult NotFound(ODataController controller, string message) =>
        controller.NotFound(new ODataError { Code = "NotFound", Message = message });

    /// <summary>The code and status for an exception thrown while parsing, validating, translating or running a query.</summary>
    public static (int Status, string Code, string Message) Classify(Exception exception) => exception switch
    {
        ODataException e when e.Message.Contains("limit", StringComparison.OrdinalIgnoreCase)
            || e.Message.Contains("exceed", StringComparison.OrdinalIgnoreCase)
            => (400, "QueryLimitExceeded", Readable(e.Message)),
        ODataException e when e.Message.Contains("not supported", StringComparison.OrdinalIgnoreCase)
            || e.Message.Contains("not allowed", StringComparison.OrdinalIgnoreCase)
            => (400, "UnsupportedQuery", Readable(e.Message)),
        ODataException e when IsLiteral(e.Message) => (400, "InvalidValue", Readable(e.Message)),
        ODataException e => (400, "InvalidQuery", Readable(e.Message)),
        SiteQueryException e => (400, "InvalidValue", e.Message),
        // The binders and EF refuse what they cannot translate; the text of the query never reaches SQL, so these are
        // queries we do not support rather than server faults.
        InvalidOperationException { Message: var m } when m.Contains("could not be translated", StringComparison.Ordinal)
            => (400, "UnsupportedQuery",
                "This query cannot be translated to SQL by the service. Simplify the expression (see docs/api-odata.md)."),
        NotSupportedException or NotImplementedException or ArgumentException or InvalidCastException or FormatException
            or OverflowException
            => (400, "UnsupportedQuery", ErrorHandling.Exposes(exception.Message)
                ? "This query is not supported by the service (see docs/api-odata.md)."
                : "This query is not supported: " + FirstLine(exception.Message)),
        PostgresException { SqlState: var state } when state.StartsWith("22", StringComparison.Ordinal)
            => (400, "InvalidValue", "A value of the query is out of range for the database (" + state + ")."),
        _ => ErrorHandling.Classify(exception) switch
        {
            { Status: 503, Code: "QUERY_TIMEOUT" } f => (503, "QueryTimeout", f.Message),
            { Status: 503 } f => (503, "DatabaseUnavailable", f.Message),
            _ => (500, "InternalError", "The service failed to answer this query; the trace id identifies the failure in its logs."),
        },
    };

    private static bool IsLiteral(string message) =>
        message.Contains("literal", StringComparison.OrdinalIgnoreCase)
        || message.Contains("Syntax error", StringComparison.OrdinalIgnoreCase)
        || message.Contains("Coordinates", StringComparison.Ordinal) || message.Contains("radius", StringComparison.OrdinalIgnoreCase)
        || message.Contains("polygon", StringComparison.OrdinalIgnoreCase)
        || message.Contains("is not a valid", StringComparison.OrdinalIgnoreCase);

    /// <summary>The OData library's message, unless it would show internals.</summary>
    private static string Readable(string message) =>
        ErrorHandling.Exposes(message)
            ? "The query is not valid OData for this service (see /odata/$metadata and docs/api-odata.md)."
            : message;

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();

    public static async Task WriteAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.Clear();
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; odata.metadata=minimal; charset=utf-8";
        context.Response.Headers["OData-Version"] = "4.0";
        if (status == StatusCodes.Status503ServiceUnavailable)
            context.Response.Headers.RetryAfter =
                ErrorHandling.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var error = new { code, message, innererror = new { traceId = ErrorHandling.TraceId(context) } };
        await JsonSerializer.SerializeAsync(context.Response.Body, new { error }, cancellationToken: context.RequestAborted);
    }
}
