using System.ComponentModel.DataAnnotations;

namespace InclusionMap.Server.Limits;

/// <summary>How many requests of one class one client address may send per window (a fixed window: counts restart at its end).</summary>
public sealed class RateLimitWindow
{
    [Range(1, int.MaxValue)]
    public int PermitLimit { get; set; }

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    public override string ToString() => $"{PermitLimit} per {Window}";
}
