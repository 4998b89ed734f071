using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace InclusionMap.Server.Limits;

/// <summary>
/// The analyses and printable maps computed at once, whoever asks: <see cref="RateLimitOptions.AnalysisConcurrency"/>
/// at a time, <see cref="RateLimitOptions.AnalysisQueue"/> waiting in order, the rest refused at once.
/// </summary>
public sealed class AnalysisLimiter(IOptions<RateLimitOptions> options) : IDisposable
{
    public ConcurrencyLimiter Limiter { get; } = new(new ConcurrencyLimiterOptions
    {
        PermitLimit = options.Value.AnalysisConcurrency,
        QueueLimit = options.Value.AnalysisQueue,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
    });

    public void Dispose() => Limiter.Dispose();
}
