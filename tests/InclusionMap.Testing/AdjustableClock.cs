namespace InclusionMap.Testing;

/// <summary>The system clock moved forward by hand: sessions' idle and absolute limits without waiting hours.</summary>
public sealed class AdjustableClock : TimeProvider
{
    public TimeSpan Offset { get; set; }

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;
}
