using System.Collections.Frozen;
using InclusionMap.Core.Places;
using InclusionMap.Data.Moderation;

namespace InclusionMap.Server.Moderation;

/// <summary>
/// The fields people may edit (<see cref="SiteEdits.Editable"/>), each with its French label for forms and messages, and
/// the few a structure may change on its own place: hours, services, contact and a temporary closure (docs/moderation.md).
/// </summary>
public static class EditableFields
{
    public static readonly FrozenDictionary<string, string> Labels = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["pivot"] = "SIRET ou RNA de la structure",
        ["nom"] = "Nom du lieu",
        ["communeName"] = "Commune",
        ["codePostal"] = "Code postal",
        ["codeInsee"] = "Code INSEE de la commune",
        ["adresse"] = "Adresse",
        ["complementAdresse"] = "Complément d'adresse",
        ["location"] = "Position sur la carte",
        ["typologie"] = "Typologie de la structure",
        ["telephone"] = "Téléphone",
        ["courriels"] = "Adresses électroniques",
        ["siteWeb"] = "Sites web",
        ["horaires"] = "Horaires d'ouverture",
        ["presentationResume"] = "Présentation courte",
        ["presentationDetail"] = "Présentation détaillée",
        ["itinerance"] = "Itinérance",
        ["structureParente"] = "Structure parente",
        ["services"] = "Services proposés",
        ["publicsSpecifiquementAdresses"] = "Publics accueillis en particulier",
        ["priseEnChargeSpecifique"] = "Accompagnements adaptés",
        ["fraisACharge"] = "Frais à charge",
        ["dispositifProgrammesNationaux"] = "Dispositifs et programmes nationaux",
        ["formationsLabels"] = "Formations et labels",
        ["autresFormationsLabels"] = "Autres formations et labels",
        ["modalitesAcces"] = "Modalités d'accès",
        ["modalitesAccompagnement"] = "Modalités d'accompagnement",
        ["ficheAccesLibre"] = "Fiche Acceslibre (accessibilité)",
        ["priseRdv"] = "Prise de rendez-vous en ligne",
        ["temporarilyClosedFrom"] = "Fermé temporairement à partir du",
        ["temporarilyClosedUntil"] = "Fermé temporairement jusqu'au (inclus)",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>What a structure may change on its own place.</summary>
    public static readonly FrozenSet<string> StructureMay = new[]
    {
        "horaires", "services", "telephone", "courriels", "siteWeb", "priseRdv", "temporarilyClosedFrom", "temporarilyClosedUntil",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The editable fields by GraphQL name, in the registry's order.</summary>
    public static readonly FrozenDictionary<string, SiteField> ByName = SiteEdits.Editable.ToFrozenDictionary(f => f.GraphQLName,
        StringComparer.Ordinal);

    public static string Label(string graphQLName) => Labels.GetValueOrDefault(graphQLName, graphQLName);
}
