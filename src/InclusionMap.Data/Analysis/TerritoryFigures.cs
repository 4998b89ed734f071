namespace InclusionMap.Data.Analysis;

/// <summary>
/// The figures of one territory (a département, a région or France), summed from its communes and places, so that a
/// coordinator can read a département beside its région and the country.
/// </summary>
/// <param name="Code">INSEE code of the territory; <c>FR</c> for France.</param>
/// <param name="Name">Its name.</param>
/// <param name="Population">Population municipale (INSEE), summed over the communes.</param>
/// <param name="Population15Plus">Estimated people aged 15 or more.</param>
/// <param name="PeopleInNeed">Estimated people aged 15+ in illectronism (docs/illectronism.md).</param>
/// <param name="IllectronismRate"><paramref name="PeopleInNeed"/> over <paramref name="Population15Plus"/>; null without
/// population.</param>
/// <param name="Sites">Places of the catalogue in the territory.</param>
/// <param name="SitesPer10000InNeed">Places per 10,000 people in need; null when there is nobody in need.</param>
/// <param name="IfnMean">La Mednum's digital fragility score (0–10) of the communes, weighted by their population; null when none is
/// published.</param>
public sealed record TerritoryFigures(
    string Code, string Name, double Population, double Population15Plus, double PeopleInNeed, double? IllectronismRate, int Sites,
    double? SitesPer10000InNeed, double? IfnMean);
