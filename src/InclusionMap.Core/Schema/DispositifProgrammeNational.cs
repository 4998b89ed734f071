namespace InclusionMap.Core.Schema;

/// <summary><c>dispositif_programmes_nationaux</c>.</summary>
public enum DispositifProgrammeNational
{
    [Label("Aidants Connect")] AidantsConnect,
    [Label("Bibliothèques numérique de référence")] BibliothequesNumeriqueDeReference,
    [Label("Certification PIX")] CertificationPix,
    [Label("Conseillers numériques")] ConseillersNumeriques,
    [Label("Emmaüs Connect")] EmmausConnect,
    [Label("France Services")] FranceServices,
    [Label("Grande école du numérique")] GrandeEcoleDuNumerique,
    [Label("La Croix Rouge")] LaCroixRouge,
    [Label("Point d'accès numérique CAF")] PointDAccesNumeriqueCaf,
    [Label("Promeneurs du net")] PromeneursDuNet,
    [Label("Relais numérique (Emmaüs Connect)")] RelaisNumeriqueEmmausConnect,
}
