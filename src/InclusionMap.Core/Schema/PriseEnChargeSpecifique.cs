namespace InclusionMap.Core.Schema;

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
