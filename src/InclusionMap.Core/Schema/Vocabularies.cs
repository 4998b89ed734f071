namespace InclusionMap.Core.Schema;

/// <summary>The official French label of a vocabulary value, exactly as the national schema v1.0.2 spells it.</summary>
[AttributeUsage(AttributeTargets.Field)]
public sealed class LabelAttribute(string label) : Attribute
{
    public string Label { get; } = label;
}

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

/// <summary><c>publics_specifiquement_adresses</c>.</summary>
public enum Public
{
    [Label("Jeunes")] Jeunes,
    [Label("Étudiants")] Etudiants,
    [Label("Familles et/ou enfants")] FamillesEtOuEnfants,
    [Label("Seniors")] Seniors,
    [Label("Femmes")] Femmes,
}

/// <summary><c>prise_en_charge_specifique</c>: accessibility and specific needs a place takes care of.</summary>
public enum PriseEnChargeSpecifique
{
    [Label("Surdité")] Surdite,
    [Label("Handicaps moteurs")] HandicapsMoteurs,
    [Label("Handicaps mentaux")] HandicapsMentaux,
    [Label("Illettrisme")] Illettrisme,
    [Label("Langues étrangères (anglais)")] LanguesEtrangeresAnglais,
    [Label("Langues étrangères (autres)")] LanguesEtrangeresAutres,
    [Label("Déficience visuelle")] DeficienceVisuelle,
}

/// <summary><c>frais_a_charge</c>.</summary>
public enum FraisACharge
{
    [Label("Gratuit")] Gratuit,
    [Label("Gratuit sous condition")] GratuitSousCondition,
    [Label("Payant")] Payant,
}

/// <summary><c>modalites_accompagnement</c>.</summary>
public enum ModaliteAccompagnement
{
    [Label("En autonomie")] EnAutonomie,
    [Label("Accompagnement individuel")] AccompagnementIndividuel,
    [Label("Dans un atelier collectif")] DansUnAtelierCollectif,
    [Label("À distance")] ADistance,
}

/// <summary><c>modalites_acces</c>.</summary>
public enum ModaliteAcces
{
    [Label("Se présenter")] SePresenter,
    [Label("Téléphoner")] Telephoner,
    [Label("Contacter par mail")] ContacterParMail,
    [Label("Prendre un RDV en ligne")] PrendreUnRdvEnLigne,
    [Label("Ce lieu n'accueille pas de public")] CeLieuNAccueillePasDePublic,
    [Label("Envoyer un mail avec une fiche de prescription")] EnvoyerUnMailAvecUneFicheDePrescription,
}

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

/// <summary><c>formations_labels</c>. The v1.0.2 pattern spells "Étapes numériques(La Poste)" without a space: we follow the pattern.</summary>
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

/// <summary><c>itinerance</c>: a place may be both.</summary>
public enum Itinerance
{
    [Label("Itinérant")] Itinerant,
    [Label("Fixe")] Fixe,
}
