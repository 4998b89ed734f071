namespace InclusionMap.Core.Schema;

/// <summary>The national schema "Lieux de médiation numérique" v1.0.2: field order, constraints, separators.</summary>
public static class SchemaV1
{
    public const string Version = "v1.0.2";

    /// <summary>Multi-valued fields use a pipe since v1 (v0.1 used a semicolon).</summary>
    public const char Separator = '|';

    public const string PhonePattern = @"^(\+33|\+590|\+594|\+262|\+596|\+269|\+687|\+689|\+508|\+681)(\d){6,9}$";

    /// <summary>All 32 fields in the official column order (the header of the official valid example).</summary>
    public static readonly IReadOnlyList<SchemaField> Fields =
    [
        new("id", true, null, null, SchemaFieldKind.Text),
        new("pivot", true, "^[a-zA-Z0-9]{9,14}$", null, SchemaFieldKind.Text),
        new("nom", true, null, null, SchemaFieldKind.Text),
        new("commune", true, null, null, SchemaFieldKind.Text),
        new("code_postal", true, @"^\d{5}$", null, SchemaFieldKind.Text),
        new("code_insee", false, @"^([013-9]\d|2[AB1-9])\d{3}$", null, SchemaFieldKind.Text),
        new("adresse", true, null, null, SchemaFieldKind.Text),
        new("complement_adresse", false, null, null, SchemaFieldKind.Text),
        new("latitude", false, null, null, SchemaFieldKind.Number),
        new("longitude", false, null, null, SchemaFieldKind.Number),
        new("typologie", false, null, null, SchemaFieldKind.Text),
        new("telephone", false, PhonePattern, null, SchemaFieldKind.Text),
        new("courriels", false, null, null, SchemaFieldKind.Text),
        new("site_web", false, null, null, SchemaFieldKind.Links),
        new("horaires", false, null, null, SchemaFieldKind.Text),
        new("presentation_resume", false, null, 280, SchemaFieldKind.Text),
        new("presentation_detail", false, null, null, SchemaFieldKind.Text),
        new("source", false, null, null, SchemaFieldKind.Text),
        new("itinerance", false, "(?:(?:^|\\|)(Itinérant|Fixe))+$", null, SchemaFieldKind.Text),
        new("structure_parente", false, null, null, SchemaFieldKind.Text),
        new("date_maj", true, null, null, SchemaFieldKind.Date),
        new("services", false, EnumPattern<Service>(), null, SchemaFieldKind.Text),
        new("publics_specifiquement_adresses", false, EnumPattern<Public>(), null, SchemaFieldKind.Text),
        new("prise_en_charge_specifique", false, EnumPattern<PriseEnChargeSpecifique>(), null, SchemaFieldKind.Text),
        new("frais_a_charge", false, EnumPattern<FraisACharge>(), null, SchemaFieldKind.Text),
        new("dispositif_programmes_nationaux", false, EnumPattern<DispositifProgrammeNational>(), null, SchemaFieldKind.Text),
        new("formations_labels", false, EnumPattern<FormationLabel>(), null, SchemaFieldKind.Text),
        new("autres_formations_labels", false, null, null, SchemaFieldKind.Text),
        new("modalites_acces", false, EnumPattern<ModaliteAcces>(), null, SchemaFieldKind.Text),
        new("modalites_accompagnement", false, EnumPattern<ModaliteAccompagnement>(), null, SchemaFieldKind.Text),
        new("fiche_acces_libre", false, null, null, SchemaFieldKind.Link),
        new("prise_rdv", false, null, null, SchemaFieldKind.Link),
    ];

    public static readonly IReadOnlyDictionary<string, SchemaField> FieldsByName = Fields.ToDictionary(f => f.Name);

    /// <summary>
    /// Rebuilds the published enumeration pattern from our vocabulary, escaped the way the schema escapes it (parentheses
    /// only; "ORDI 3.0" keeps its bare dot). A test checks it equals the schema file's pattern character for character.
    /// </summary>
    private static string EnumPattern<T>() where T : struct, Enum =>
        "(?:(?:^|\\|)(" + string.Join('|', Vocabulary<T>.Values.Select(v =>
            Vocabulary<T>.Label(v).Replace("(", "\\(", StringComparison.Ordinal).Replace(")", "\\)", StringComparison.Ordinal))) + "))+$";
}
