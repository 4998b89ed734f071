namespace InclusionMap.Core.Illectronism;

/// <summary>What the model reads of a commune: population, area and census shares as fractions 0..1 (null when unknown).</summary>
public sealed record CommuneProfile(
    string Code,
    string DepartementCode,
    int Population,
    double? AreaKm2,
    double? Share65Plus,
    double? Share25OrUnder,
    double? ShareNoDiploma,
    double? ShareLivingAlone,
    double? PovertyRate,
    bool NearLargeCity = false)
{
    /// <summary>Overseas départements (971–976) have their own published rate.</summary>
    public bool Overseas => DepartementCode.StartsWith("97", StringComparison.Ordinal);
}
