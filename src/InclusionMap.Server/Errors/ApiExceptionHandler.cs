using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace InclusionMap.Server.Errors;

/// <summary>
/// The app's last resort (<c>UseExceptionHandler</c>): an exception no API answered becomes a problem with a code of
/// ours and the trace id (<see cref="ErrorHandling.Classify"/>); 503 carries <c>Retry-After</c>; 500 is logged as an
/// error with the exception, under the same trace id.
/// </summary>
public sealed class ApiExceptionHandler(IProblemDetailsService problems, ILogger<ApiExceptionHandler> log) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        var failure = ErrorHandling.Classify(exception);
        ErrorHandling.Log(log, http, exception, failure);
        http.Response.StatusCode = failure.Status;
        if (failure.Status == StatusCodes.Status503ServiceUnavailable) http.Response.Headers.RetryAfter = ErrorHandling.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var (_, title, _) = ErrorHandling.ForStatus(failure.Status);
        // The exception stays out of the problem: in Development the writer would show it.
        if (await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = http,
                ProblemDetails = new ProblemDetails
                {
                    Status = failure.Status,
                    Title = title,
                    Detail = failure.Message,
                    Extensions = { ["code"] = failure.Code },
                },
            }))
            return true;
        // A client that accepts no JSON gets the same words as text.
        http.Response.ContentType = "text/plain; charset=utf-8";
        await http.Response.WriteAsync($"{failure.Code}: {failure.Message} (trace id {ErrorHandling.TraceId(http)})\n", cancellationToken);
        return true;
    }
}
