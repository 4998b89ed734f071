namespace InclusionMap.Core.Schema;

/// <summary>
/// <c>formations_labels</c>. The v1.0.2 pattern spells "Étapes numériques(La Poste)" without a space: we follow the pattern.
/// </summary>
public enum FormationLabel
{
    [Label("Formé à « Mon Espace Santé »")] FormeAMonEspaceSante,
    [Label("Formé à « DUPLEX » (illettrisme)")] FormeADuplex,
    [Label("Arnia/MedNum BFC (Bourgogne-Franche-Comté)")] ArniaMedNumBfc,
    [Label("Collectif ressources et acteurs réemploi (Normandie)")] CollectifRessourcesEtActeursReemploi,
    [Label("Étapes numériques(La Poste)")] EtapesNumeriquesLaPoste,
    [Label("Fabriques de Territoire")] FabriquesDeTerritoire,
    [Label("Les Éclaireurs du numérique (Drôme)")] LesEclaireursDuNumerique,
    [Label("Mes Papiers (Métropole de Lyon)")] MesPapiers,
    [Label("ORDI 3.0")] Ordi30,
    [Label("SUD LABS (PACA)")] SudLabs,
}
