namespace InclusionMap.Core.Coverage;

/// <summary>
/// A band of the stepwise distance decay: up to <paramref name="MaxMeters"/>, demand and supply count with <paramref name="Weight"/>.
/// </summary>
public sealed record DecayBand(double MaxMeters, double Weight);
