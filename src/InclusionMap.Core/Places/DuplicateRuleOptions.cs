namespace InclusionMap.Core.Places;

/// <summary>The settings of the rule; <see cref="NameThreshold"/> is the knob (raise it to merge less).</summary>
public sealed record DuplicateRuleOptions(double NameThreshold = 0.8, double MaxDistanceMeters = 300)
{
    /// <summary>Rule B's minimum containment follows the knob: 0.5 at the default threshold.</summary>
    public double ContainmentThreshold => Math.Clamp(NameThreshold - 0.3, 0, 1);
}
