using System.Globalization;
using InclusionMap.Core.Schema;
using NetTopologySuite;
using NetTopologySuite.Geometries;

namespace InclusionMap.Core.Places;

/// <summary>Conversions between a validated schema v1.0.2 record and a <see cref="Site"/>.</summary>
public static class SiteRecord
{
    public static readonly GeometryFactory Wgs84 = NtsGeometryServices.Instance.CreateGeometryFactory(srid: 4326);

    /// <summary>Copies every schema field of a validated record onto a site (vocabulary labels become typed values).</summary>
    public static void Apply(SchemaV1Record r, Site site)
    {
        site.Pivot = r["pivot"] ?? "";
        site.Nom = r["nom"] ?? "";
        site.CommuneName = r["commune"] ?? "";
        site.CodePostal = r["code_postal"] ?? "";
        site.CodeInsee = r["code_insee"];
        site.Adresse = r["adresse"] ?? "";
        site.ComplementAdresse = r["complement_adresse"];
        var lat = r.GetNumber("latitude");
        var lon = r.GetNumber("longitude");
        site.Location = lat is { } la && lon is { } lo ? Wgs84.CreatePoint(new Coordinate(lo, la)) : null;
        site.Typologie = [.. r.GetMany("typologie")];
        site.Telephone = r["telephone"];
        site.Courriels = [.. r.GetMany("courriels")];
        site.SiteWeb = [.. r.GetMany("site_web")];
        site.Horaires = r["horaires"];
        site.PresentationResume = r["presentation_resume"];
        site.PresentationDetail = r["presentation_detail"];
        site.Source = r["source"];
        site.Itinerance = Parse<Itinerance>(r, "itinerance");
        site.StructureParente = r["structure_parente"];
        site.DateMaj = DateOnly.ParseExact(r["date_maj"]!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        site.Services = Parse<Service>(r, "services");
        site.PublicsSpecifiquementAdresses = Parse<Public>(r, "publics_specifiquement_adresses");
        site.PriseEnChargeSpecifique = Parse<PriseEnChargeSpecifique>(r, "prise_en_charge_specifique");
        site.FraisACharge = Parse<FraisACharge>(r, "frais_a_charge");
        site.DispositifProgrammesNationaux = Parse<DispositifProgrammeNational>(r, "dispositif_programmes_nationaux");
        site.FormationsLabels = Parse<FormationLabel>(r, "formations_labels");
        site.AutresFormationsLabels = [.. r.GetMany("autres_formations_labels")];
        site.ModalitesAcces = Parse<ModaliteAcces>(r, "modalites_acces");
        site.ModalitesAccompagnement = Parse<ModaliteAccompagnement>(r, "modalites_accompagnement");
        site.FicheAccesLibre = r["fiche_acces_libre"];
        site.PriseRdv = r["prise_rdv"];
    }

    /// <summary>The schema v1.0.2 record of a site, with the given <c>id</c>.</summary>
    public static SchemaV1Record ToRecord(Site site, string id)
    {
        var r = new SchemaV1Record
        {
            ["id"] = id,
            ["pivot"] = site.Pivot,
            ["nom"] = site.Nom,
            ["commune"] = site.CommuneName,
            ["code_postal"] = site.CodePostal,
            ["code_insee"] = site.CodeInsee,
            ["adresse"] = site.Adresse,
            ["complement_adresse"] = site.ComplementAdresse,
            ["telephone"] = site.Telephone,
            ["horaires"] = site.Horaires,
            ["presentation_resume"] = site.PresentationResume,
            ["presentation_detail"] = site.PresentationDetail,
            ["source"] = site.Source,
            ["structure_parente"] = site.StructureParente,
            ["date_maj"] = site.DateMaj.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["fiche_acces_libre"] = site.FicheAccesLibre,
            ["prise_rdv"] = site.PriseRdv,
        };
        r.SetNumber("latitude", site.Location?.Y);
        r.SetNumber("longitude", site.Location?.X);
        r.SetMany("typologie", site.Typologie);
        r.SetMany("courriels", site.Courriels);
        r.SetMany("site_web", site.SiteWeb);
        r.SetMany("autres_formations_labels", site.AutresFormationsLabels);
        Set(r, "itinerance", site.Itinerance);
        Set(r, "services", site.Services);
        Set(r, "publics_specifiquement_adresses", site.PublicsSpecifiquementAdresses);
        Set(r, "prise_en_charge_specifique", site.PriseEnChargeSpecifique);
        Set(r, "frais_a_charge", site.FraisACharge);
        Set(r, "dispositif_programmes_nationaux", site.DispositifProgrammesNationaux);
        Set(r, "formations_labels", site.FormationsLabels);
        Set(r, "modalites_acces", site.ModalitesAcces);
        Set(r, "modalites_accompagnement", site.ModalitesAccompagnement);
        return r;
    }

    private static List<T> Parse<T>(SchemaV1Record r, string field) where T : struct, Enum =>
        [.. r.GetMany(field).Select(label => Vocabulary<T>.TryParse(label, out var v) ? v : throw new ArgumentException($"{field}: '{label}' is not an official value."))];

    private static void Set<T>(SchemaV1Record r, string field, IEnumerable<T> values) where T : struct, Enum =>
        r.SetMany(field, values.Select(Vocabulary<T>.Label));
}
