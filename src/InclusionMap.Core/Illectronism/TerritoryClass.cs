namespace InclusionMap.Core.Illectronism;

/// <summary>The type of territory of a commune, a density proxy for INSEE's published territorial classes.</summary>
public enum TerritoryClass
{
    /// <summary>Density under 30 inhabitants/km²: proxy for "communes hors attraction des villes".</summary>
    Rural,
    /// <summary>
    /// 2,000–30,000 inhabitants at 100/km² or more, farther than 25 km from any commune of 50,000+: proxy for "petits pôles urbains".
    /// </summary>
    SmallTown,
    /// <summary>3,000 inhabitants/km² or more: proxy for "plus grandes villes" (aires of 700,000+).</summary>
    LargeCity,
    /// <summary>Everything else (periurban, intermediate density): the reference class.</summary>
    Other,
}
