namespace InclusionMap.Core.Illectronism;

/// <summary>The estimate for one commune.</summary>
/// <param name="Code">INSEE code of the commune.</param>
/// <param name="Population15Plus">Estimated people aged 15 or more.</param>
/// <param name="Rate">Estimated share of the 15+ in illectronism (0..1).</param>
/// <param name="Low">Low end of the plausible interval.</param>
/// <param name="High">High end of the plausible interval.</param>
/// <param name="PeopleInNeed">Population15Plus × Rate.</param>
/// <param name="Territory">The territory class used.</param>
/// <param name="Imputed">True when a census indicator was missing and the département's mean was used.</param>
public sealed record IllectronismEstimate(
    string Code, double Population15Plus, double Rate, double Low, double High, double PeopleInNeed, TerritoryClass Territory,
    bool Imputed);
