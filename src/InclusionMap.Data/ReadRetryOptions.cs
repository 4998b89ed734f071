using System.ComponentModel.DataAnnotations;

namespace InclusionMap.Data;

/// <summary>
/// How reads ride out a broken connection (configuration section <c>InclusionMap:ReadRetry</c>; <see cref="ReadRetry"/>).
/// </summary>
public sealed class ReadRetryOptions
{
    public const string Section = "InclusionMap:ReadRetry";

    /// <summary>
    /// Before its one retry, a read whose connection broke waits at most this long for the database to accept connections
    /// again (long enough for a database restart); 0 retries at once. A read that waited in vain fails as unavailable (503).
    /// </summary>
    [Range(0, 60)]
    public double ReconnectWaitSeconds { get; set; } = 5;
}
