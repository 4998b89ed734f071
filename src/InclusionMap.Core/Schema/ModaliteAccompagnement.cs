namespace InclusionMap.Core.Schema;

/// <summary><c>modalites_accompagnement</c>.</summary>
public enum ModaliteAccompagnement
{
    [Label("En autonomie")] EnAutonomie,
    [Label("Accompagnement individuel")] AccompagnementIndividuel,
    [Label("Dans un atelier collectif")] DansUnAtelierCollectif,
    [Label("À distance")] ADistance,
}
