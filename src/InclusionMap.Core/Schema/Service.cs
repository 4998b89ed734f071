namespace InclusionMap.Core.Schema;

/// <summary><c>services</c>: the 9 services of schema v1.</summary>
public enum Service
{
    [Label("Aide aux démarches administratives")] AideAuxDemarchesAdministratives,
    [Label("Maîtrise des outils numériques du quotidien")] MaitriseDesOutilsNumeriquesDuQuotidien,
    [Label("Insertion professionnelle via le numérique")] InsertionProfessionnelleViaLeNumerique,
    [Label("Utilisation sécurisée du numérique")] UtilisationSecuriseeDuNumerique,
    [Label("Parentalité et éducation avec le numérique")] ParentaliteEtEducationAvecLeNumerique,
    [Label("Loisirs et créations numériques")] LoisirsEtCreationsNumeriques,
    [Label("Compréhension du monde numérique")] ComprehensionDuMondeNumerique,
    [Label("Accès internet et matériel informatique")] AccesInternetEtMaterielInformatique,
    [Label("Acquisition de matériel informatique à prix solidaire")] AcquisitionDeMaterielInformatiqueAPrixSolidaire,
}
