namespace InclusionMap.Core.Schema;

/// <summary><c>publics_specifiquement_adresses</c>.</summary>
public enum Public
{
    [Label("Jeunes")] Jeunes,
    [Label("Étudiants")] Etudiants,
    [Label("Familles et/ou enfants")] FamillesEtOuEnfants,
    [Label("Seniors")] Seniors,
    [Label("Femmes")] Femmes,
}
