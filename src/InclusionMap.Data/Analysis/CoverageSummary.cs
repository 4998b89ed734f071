namespace InclusionMap.Data.Analysis;

/// <summary>The département (or commune set) summary.</summary>
public sealed record CoverageSummary(
    int Communes, double Population, double PeopleInNeed, double PeopleInNeedBeyond, double ShareBeyond, int Sites,
    double SitesPer10000InNeed, double MedianDistanceMeters, double CoveredBefore, double CoveredAfter);
