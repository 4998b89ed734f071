using System.Globalization;

namespace InclusionMap.Bench;

/// <summary>One wrk run: requests per second, latency percentiles, and the requests that failed.</summary>
public sealed record WrkResult(double RequestsPerSecond, double P50Ms, double P99Ms, long Errors, long Requests)
{
    public string Format() =>
        RequestsPerSecond.ToString("N0", CultureInfo.InvariantCulture) + $" ({Samples.Ms(P50Ms)} / {Samples.Ms(P99Ms)})"
        + (Errors > 0 ? $", {Errors:N0} errors" : "");
}
