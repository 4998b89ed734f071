using Microsoft.AspNetCore.Diagnostics;

namespace InclusionMap.Server.Errors;

/// <summary>
/// The app's last resort (<c>UseExceptionHandler</c>): an exception no API answered becomes a problem with a code of
/// ours and the trace id (<see cref="ErrorHandling.Classify"/>); 503 carries <c>Retry-After</c>; 500 is logged as an
/// error with the exception, under the same trace id.
/// </summary>
public sealed class ApiExceptionHandler(ILogger<ApiExceptionHandler> log) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        var failure = ErrorHandling.Classify(exception);
        ErrorHandling.Log(log, http, exception, failure);
        await ErrorHandling.WriteProblemAsync(http, failure.Status, failure.Code, failure.Message);
        return true;
    }
}
