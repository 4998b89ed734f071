namespace InclusionMap.Core.Schema;

/// <summary>
/// How values of schema v0.1.x map to v1.0.2. The field renames are the official ones (descriptif-des-evolutions in
/// LaMednum/standard-mediation-num); no official table exists for the values, so this one is ours, one line per
/// v0.1 label, documented in data/schema-v0.1-to-v1.md. A v0.1 value absent from these tables is reported, never guessed.
/// </summary>
public static class SchemaV01
{
    /// <summary>The 15 v0.1 services condensed into the 9 of v1.</summary>
    public static readonly IReadOnlyDictionary<string, Service> Services = new Dictionary<string, Service>(StringComparer.Ordinal)
    {
        ["Devenir autonome dans les démarches administratives"] = Service.AideAuxDemarchesAdministratives,
        ["Réaliser des démarches administratives avec un accompagnement"] = Service.AideAuxDemarchesAdministratives,
        ["Accompagner les démarches de santé"] = Service.AideAuxDemarchesAdministratives,
        ["Prendre en main un smartphone ou une tablette"] = Service.MaitriseDesOutilsNumeriquesDuQuotidien,
        ["Prendre en main un ordinateur"] = Service.MaitriseDesOutilsNumeriquesDuQuotidien,
        ["Utiliser le numérique au quotidien"] = Service.MaitriseDesOutilsNumeriquesDuQuotidien,
        ["Approfondir ma culture numérique"] = Service.ComprehensionDuMondeNumerique,
        ["Promouvoir la citoyenneté numérique"] = Service.ComprehensionDuMondeNumerique,
        ["Favoriser mon insertion professionnelle"] = Service.InsertionProfessionnelleViaLeNumerique,
        ["Créer et développer mon entreprise"] = Service.InsertionProfessionnelleViaLeNumerique,
        ["Accéder à une connexion internet"] = Service.AccesInternetEtMaterielInformatique,
        ["Accéder à du matériel"] = Service.AccesInternetEtMaterielInformatique,
        ["S'équiper en matériel informatique"] = Service.AcquisitionDeMaterielInformatiqueAPrixSolidaire,
        ["Créer avec le numérique"] = Service.LoisirsEtCreationsNumeriques,
        ["Soutenir la parentalité et l'éducation avec le numérique"] = Service.ParentaliteEtEducationAvecLeNumerique,
    };

    /// <summary>conditions_acces → frais_a_charge. "Accepte le Pass numérique" says how one may pay, not whether: no v1 value.</summary>
    public static readonly IReadOnlyDictionary<string, FraisACharge?> ConditionsAcces =
        new Dictionary<string, FraisACharge?>(StringComparer.Ordinal)
        {
            ["Gratuit"] = FraisACharge.Gratuit,
            ["Gratuit sous condition"] = FraisACharge.GratuitSousCondition,
            ["Payant"] = FraisACharge.Payant,
            ["Adhésion"] = FraisACharge.Payant,
            ["Accepte le Pass numérique"] = null,
        };

    /// <summary>modalites_accompagnement: the long v0.1 labels (key = text before " : ").</summary>
    public static readonly IReadOnlyDictionary<string, ModaliteAccompagnement> ModalitesAccompagnement =
        new Dictionary<string, ModaliteAccompagnement>(StringComparer.Ordinal)
        {
            ["Seul"] = ModaliteAccompagnement.EnAutonomie,
            ["Avec de l'aide"] = ModaliteAccompagnement.AccompagnementIndividuel,
            ["Dans un atelier"] = ModaliteAccompagnement.DansUnAtelierCollectif,
            ["A ma place"] = ModaliteAccompagnement.AccompagnementIndividuel,
        };

    /// <summary>labels_nationaux values that are national programmes in v1.</summary>
    public static readonly IReadOnlyDictionary<string, DispositifProgrammeNational> LabelsToDispositifs =
        new Dictionary<string, DispositifProgrammeNational>(StringComparer.Ordinal)
        {
            ["France Services"] = DispositifProgrammeNational.FranceServices,
            ["CNFS"] = DispositifProgrammeNational.ConseillersNumeriques,
            ["Aidants Connect"] = DispositifProgrammeNational.AidantsConnect,
            ["Grandes écoles du numérique"] = DispositifProgrammeNational.GrandeEcoleDuNumerique,
            ["Point relais CAF"] = DispositifProgrammeNational.PointDAccesNumeriqueCaf,
            ["Point numérique CAF"] = DispositifProgrammeNational.PointDAccesNumeriqueCaf,
        };

    /// <summary>labels_nationaux values that are training/labels in v1.</summary>
    public static readonly IReadOnlyDictionary<string, FormationLabel> LabelsToFormations =
        new Dictionary<string, FormationLabel>(StringComparer.Ordinal)
        {
            ["Fabriques de Territoire"] = FormationLabel.FabriquesDeTerritoire,
        };

    /// <summary>labels_nationaux values with no v1 vocabulary entry: kept in autres_formations_labels, verbatim.</summary>
    public static readonly IReadOnlySet<string> LabelsToOthers = new HashSet<string>(StringComparer.Ordinal)
    {
        "APTIC", "Relais pôle emploi", "French Tech", "Campus connecté",
    };

    /// <summary>publics_accueillis → publics_specifiquement_adresses. "Adultes" means everyone: no specific public.</summary>
    public static readonly IReadOnlyDictionary<string, Public?> PublicsAccueillis = new Dictionary<string, Public?>(StringComparer.Ordinal)
    {
        ["Seniors (+ 65 ans)"] = Public.Seniors,
        ["Familles/enfants"] = Public.FamillesEtOuEnfants,
        ["Jeunes (16-26 ans)"] = Public.Jeunes,
        ["Uniquement femmes"] = Public.Femmes,
        ["Adultes"] = null,
    };

    /// <summary>publics_accueillis → prise_en_charge_specifique.</summary>
    public static readonly IReadOnlyDictionary<string, PriseEnChargeSpecifique> PublicsToPriseEnCharge =
        new Dictionary<string, PriseEnChargeSpecifique>(StringComparer.Ordinal)
        {
            ["Déficience visuelle"] = PriseEnChargeSpecifique.DeficienceVisuelle,
            ["Surdité"] = PriseEnChargeSpecifique.Surdite,
            ["Handicaps mentaux : déficiences limitant les activités d'une personne"] = PriseEnChargeSpecifique.HandicapsMentaux,
            ["Handicaps psychiques : troubles psychiatriques donnant lieu à des atteintes comportementales"] =
                PriseEnChargeSpecifique.HandicapsMentaux,
            ["Personnes en situation d'illettrisme"] = PriseEnChargeSpecifique.Illettrisme,
            ["Public langues étrangères"] = PriseEnChargeSpecifique.LanguesEtrangeresAutres,
        };

    /// <summary>The v0.1 label key: long labels read "Gratuit : Je peux accéder…"; the key is the part before " : ".</summary>
    public static string Key(string label)
    {
        var i = label.IndexOf(" : ", StringComparison.Ordinal);
        return (i < 0 ? label : label[..i]).Trim();
    }
}
