using System.Globalization;
using System.Text.RegularExpressions;
using InclusionMap.Core.Schema;

namespace InclusionMap.Data.Import;

/// <summary>
/// Maps a source row of any places format to a normalised schema v1.0.2 record. Values are normalised only where the
/// reading is unambiguous; a value that cannot be mapped is dropped from the record and reported as a warning (the
/// raw row keeps it), never replaced by a guess.
/// </summary>
public static partial class PlaceMapper
{
    public static MappedRow Map(ImportFormat format, SourceRow row) => format switch
    {
        ImportFormat.SchemaV1Csv or ImportFormat.SchemaV1Json => MapV1(row),
        ImportFormat.SchemaV01Csv or ImportFormat.SchemaV01Json => MapV01(row),
        ImportFormat.FranceServicesCsv => MapFranceServices(row),
        ImportFormat.ConseillersNumeriquesJson => MapConseillersNumeriques(row),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "not a places format"),
    };

    private static MappedRow MapV1(SourceRow row)
    {
        var b = new RecordBuilder(row);
        b.CommonFields();
        b.Text("courriels", string.Join('|', Normalize.Split(row["courriels"], '|', ';', ',', ' ')));
        b.Links("site_web", row["site_web"]);
        b.Links("fiche_acces_libre", row["fiche_acces_libre"]);
        b.Text("autres_formations_labels", string.Join('|', Normalize.Split(row["autres_formations_labels"])));
        b.Text("structure_parente", row["structure_parente"]);
        b.Vocabulary<Itinerance>("itinerance", row["itinerance"]);
        b.Vocabulary<Service>("services", row["services"]);
        b.Vocabulary<Public>("publics_specifiquement_adresses", row["publics_specifiquement_adresses"]);
        b.Vocabulary<PriseEnChargeSpecifique>("prise_en_charge_specifique", row["prise_en_charge_specifique"]);
        b.Vocabulary<FraisACharge>("frais_a_charge", row["frais_a_charge"]);
        b.Vocabulary<DispositifProgrammeNational>("dispositif_programmes_nationaux", row["dispositif_programmes_nationaux"]);
        b.Vocabulary<FormationLabel>("formations_labels", row["formations_labels"]);
        b.Vocabulary<ModaliteAcces>("modalites_acces", row["modalites_acces"]);
        b.Vocabulary<ModaliteAccompagnement>("modalites_accompagnement", row["modalites_accompagnement"]);
        return b.Build(row["id"]);
    }

    private static MappedRow MapV01(SourceRow row)
    {
        var b = new RecordBuilder(row);
        b.CommonFields();
        b.Text("courriels", string.Join('|', Normalize.Split(row["courriel"], '|', ';', ',', ' ')));
        b.Links("site_web", row["site_web"]);
        b.Links("fiche_acces_libre", row["accessibilite"]);
        b.Text("structure_parente", row["structure_parente"]);
        b.Mapped("services", row["services"], SchemaV01.Services, v => Vocabulary<Service>.Label(v));
        b.Mapped("frais_a_charge", row["conditions_acces"], SchemaV01.ConditionsAcces,
            v => v is { } f ? Vocabulary<FraisACharge>.Label(f) : null, key: SchemaV01.Key);
        b.Mapped("modalites_accompagnement", row["modalites_accompagnement"], SchemaV01.ModalitesAccompagnement,
            v => Vocabulary<ModaliteAccompagnement>.Label(v), key: SchemaV01.Key);

        // publics_accueillis splits into two v1 fields.
        var publics = new List<string>();
        var priseEnCharge = new List<string>();
        foreach (var value in Normalize.Split(row["publics_accueillis"], ';', '|'))
        {
            if (SchemaV01.PublicsAccueillis.TryGetValue(value, out var p)) { if (p is { } pv) publics.Add(Vocabulary<Public>.Label(pv)); }
            else if (SchemaV01.PublicsToPriseEnCharge.TryGetValue(value, out var pec))
                priseEnCharge.Add(Vocabulary<PriseEnChargeSpecifique>.Label(pec));
            else
                b.Warn("publics_accueillis", value,
                    "no v1 equivalent in publics_specifiquement_adresses or prise_en_charge_specifique; dropped");
        }
        b.Record.SetMany("publics_specifiquement_adresses", publics);
        b.Record.SetMany("prise_en_charge_specifique", priseEnCharge);

        // labels_nationaux splits into national programmes, training labels and other labels.
        var dispositifs = new List<string>();
        var formations = new List<string>();
        var autres = Normalize.Split(row["labels_autres"], ';', '|').ToList();
        foreach (var value in Normalize.Split(row["labels_nationaux"], ';', '|'))
        {
            if (SchemaV01.LabelsToDispositifs.TryGetValue(value, out var d))
                dispositifs.Add(Vocabulary<DispositifProgrammeNational>.Label(d));
            else if (SchemaV01.LabelsToFormations.TryGetValue(value, out var f)) formations.Add(Vocabulary<FormationLabel>.Label(f));
            else if (SchemaV01.LabelsToOthers.Contains(value)) autres.Add(value);
            else b.Warn("labels_nationaux", value, "not a v0.1 national label; dropped");
        }
        b.Record.SetMany("dispositif_programmes_nationaux", dispositifs);
        b.Record.SetMany("formations_labels", formations);
        b.Record.SetMany("autres_formations_labels", autres);
        return b.Build(row["id"]);
    }

    /// <summary>
    /// The national France Services list. Mapping rules (stated in data/sources.md): the label itself means free
    /// individual help with administrative procedures, so every row gets that service, that modality and "Gratuit";
    /// dispositif France Services; typologie RFS; hours from the per-weekday columns.
    /// </summary>
    private static MappedRow MapFranceServices(SourceRow row)
    {
        var b = new RecordBuilder(row);
        var id = row["id_fs"];
        b.Text("id", id is null ? null : "france-services-" + id);
        b.Text("pivot", "00000000000000"); // the list carries no SIRET: the schema's documented placeholder
        b.Text("nom", row["lib_fs"]);
        b.Text("commune", row["lib_com"]);
        b.Text("code_postal", Normalize.PostalCode(row["code_postal"], row["insee_com"]));
        b.Text("code_insee", Normalize.InseeCode(row["insee_com"]));
        b.Text("adresse", row["adresse"]);
        b.Text("complement_adresse", row["complement_adresse"]);
        b.Coordinates(row["latitude"], row["longitude"]);
        b.Phone(row["telephone"], row["insee_dep"]);
        b.Text("courriels", string.Join('|', Normalize.Split(row["mail"], '|', ';', ',', ' ')));
        b.Text("typologie", "RFS");
        b.Text("source", "France Services (ANCT)");
        b.Text("presentation_detail", row["commentaire"]);
        b.Text("date_maj", "2024-08-01"); // the list is "état au 1er août 2024"
        b.Text("services", Vocabulary<Service>.Label(Service.AideAuxDemarchesAdministratives));
        b.Text("modalites_accompagnement", Vocabulary<ModaliteAccompagnement>.Label(ModaliteAccompagnement.AccompagnementIndividuel));
        b.Text("frais_a_charge", Vocabulary<FraisACharge>.Label(FraisACharge.Gratuit));
        b.Text("dispositif_programmes_nationaux",
            Vocabulary<DispositifProgrammeNational>.Label(DispositifProgrammeNational.FranceServices));
        b.Text("itinerance", row["format_fs"] switch
        {
            "Itinérante" or "Bus_équivalent" => "Itinérant",
            null or "" => null,
            _ => "Fixe",
        });
        b.Text("modalites_acces", row["prise_rdv"] == "Oui"
            ? Vocabulary<ModaliteAcces>.Label(ModaliteAcces.SePresenter) + "|" + Vocabulary<ModaliteAcces>.Label(ModaliteAcces.Telephoner)
            : Vocabulary<ModaliteAcces>.Label(ModaliteAcces.SePresenter));
        b.Horaires(FranceServicesOpeningHours(row, b));
        return b.Build(id);
    }

    private static string? FranceServicesOpeningHours(SourceRow row, RecordBuilder b)
    {
        var perDay = new Dictionary<DayOfWeek, string?>
        {
            [DayOfWeek.Monday] = row["h_lundi"], [DayOfWeek.Tuesday] = row["h_mardi"], [DayOfWeek.Wednesday] = row["h_mercredi"],
            [DayOfWeek.Thursday] = row["h_jeudi"], [DayOfWeek.Friday] = row["h_vendredi"], [DayOfWeek.Saturday] = row["h_samedi"],
        };
        try
        {
            return Core.OpeningHours.FranceServicesHours.ToOpeningHours(perDay);
        }
        catch (FormatException e)
        {
            b.Warn("horaires", string.Join(" | ", perDay.Values), e.Message);
            return null;
        }
    }

    /// <summary>
    /// Host structures of conseillers numériques (2021). The address is the structure's; services are not given.
    /// </summary>
    private static MappedRow MapConseillersNumeriques(SourceRow row)
    {
        var b = new RecordBuilder(row);
        var id = row["id"];
        b.Text("id", id is null ? null : "conseillers-numeriques-" + id);
        var siret = Normalize.Text(row["siret"])?.Replace(" ", "", StringComparison.Ordinal);
        b.Text("pivot", siret is { Length: 14 } && siret.All(char.IsAsciiDigit) ? siret : "00000000000000");
        b.Text("nom", row["raison_sociale"]);
        b.Text("commune", row["commune_insee"]); // despite its name, this column holds the commune name
        var postcode = Normalize.PostalCode(row["code_postal_bis"] ?? row["code_postal"], row["insee_com"]);
        b.Text("code_postal", postcode);
        b.Text("code_insee", Normalize.InseeCode(row["insee_com"]));
        b.Text("adresse", StreetLine(row["adresse"], postcode));
        b.Coordinates(row["latitude"], row["longitude"]);
        b.Text("source", "Conseillers numériques France Services (ANCT, 2021)");
        b.Text("date_maj", b.Date("date_maj", row["date_de_validation_en_comité_de_sélection"]));
        var dispositifs = new List<string>
        {
            Vocabulary<DispositifProgrammeNational>.Label(DispositifProgrammeNational.ConseillersNumeriques),
        };
        if (row["france_services"] == "oui")
            dispositifs.Add(Vocabulary<DispositifProgrammeNational>.Label(DispositifProgrammeNational.FranceServices));
        b.Record.SetMany("dispositif_programmes_nationaux", dispositifs);
        return b.Build(id);
    }

    /// <summary>"57 RUE RENE NICOD\n01100 OYONNAX" → "57 RUE RENE NICOD": the last line repeats postcode and city.</summary>
    private static string? StreetLine(string? address, string? postcode)
    {
        if (address is null) return null;
        var lines = address.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        if (lines.Count > 1 && PostcodeLine().IsMatch(lines[^1])) lines.RemoveAt(lines.Count - 1);
        var text = string.Join(", ", lines);
        if (postcode is not null)
        {
            var at = text.LastIndexOf(postcode, StringComparison.Ordinal);
            if (at > 0) text = text[..at].TrimEnd(' ', ',');
        }
        return text;
    }

    [GeneratedRegex(@"^\d{4,5}\s")]
    private static partial Regex PostcodeLine();

    /// <summary>Accumulates a record and the warnings raised while filling it.</summary>
    private sealed class RecordBuilder(SourceRow row)
    {
        public SchemaV1Record Record { get; } = new();
        private readonly List<FieldIssue> _warnings = [];

        public void Warn(string field, string? value, string reason) => _warnings.Add(new(field, value, reason));

        public void Text(string field, string? value) => Record[field] = Normalize.Text(value);

        /// <summary>The fields shared by v0.1 and v1 (same names, same meaning).</summary>
        public void CommonFields()
        {
            Text("id", row["id"]);
            Text("pivot", row["pivot"]?.Replace(" ", "", StringComparison.Ordinal));
            Text("nom", row["nom"]);
            Text("commune", row["commune"]);
            Text("code_postal", Normalize.PostalCode(row["code_postal"], row["code_insee"]));
            Text("code_insee", Normalize.InseeCode(row["code_insee"]));
            Text("adresse", row["adresse"]);
            Text("complement_adresse", row["complement_adresse"]);
            Coordinates(row["latitude"], row["longitude"]);
            Typologie(row["typologie"]);
            Phone(row["telephone"], DepartementFromPostcode(row["code_postal"]));
            Horaires(row["horaires"]);
            Presentation(row["presentation_resume"], row["presentation_detail"]);
            Text("source", row["source"]);
            Links("prise_rdv", row["prise_rdv"]);
            Text("date_maj", Date("date_maj", row["date_maj"]));
        }

        /// <summary>
        /// v0.1 allowed a 500-character summary, v1 allows 280. A longer summary with no detail is moved, whole, to
        /// presentation_detail (no length limit) rather than cut or dropped.
        /// </summary>
        public void Presentation(string? resume, string? detail)
        {
            var r = Normalize.Text(resume);
            var d = Normalize.Text(detail);
            if (r is { Length: > 280 } && d is null)
            {
                Warn("presentation_resume", r, "longer than the 280 characters of schema v1: moved to presentation_detail");
                (r, d) = (null, r);
            }
            Record["presentation_resume"] = r;
            Record["presentation_detail"] = d;
        }

        public void Coordinates(string? latitude, string? longitude)
        {
            Record["latitude"] = Number(latitude);
            Record["longitude"] = Number(longitude);
        }

        private static string? Number(string? value)
        {
            var v = Normalize.Text(value)?.Replace(',', '.');
            // Round-trip formatting: the value stored is exactly the value published.
            return v is not null && double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
                ? d.ToString("R", CultureInfo.InvariantCulture)
                : v;
        }

        public void Phone(string? value, string? departement)
        {
            var phone = Normalize.Phone(value, departement, out var dropped);
            if (dropped is not null) Warn("telephone", value, $"the schema allows one number; kept the first, dropped {dropped}");
            Record["telephone"] = phone;
        }

        /// <summary>
        /// A link field (<see cref="SchemaField.IsLink"/>): each address is kept only if it is an absolute http(s) URL;
        /// any other (javascript:, data:, relative, malformed…) would reach a resident's click, so it is dropped with a warning.
        /// </summary>
        public void Links(string field, string? value)
        {
            var kept = new List<string>();
            foreach (var written in Normalize.Links(value, SchemaV1.FieldsByName[field]))
            {
                var link = Normalize.Link(written);
                if (SchemaV1Validator.LinkProblem(link) is { } problem) Warn(field, written, problem + "; dropped");
                else kept.Add(link);
            }
            Record.SetMany(field, kept);
        }

        public void Horaires(string? value) => Record["horaires"] = Normalize.Text(value);

        public void Typologie(string? value)
        {
            var codes = new List<string>();
            foreach (var code in Normalize.Split(value, '|', ';', ','))
            {
                var known = Typologies.Codes.FirstOrDefault(c => c.Equals(code, StringComparison.OrdinalIgnoreCase));
                if (known is not null) codes.Add(known);
                else Warn("typologie", code, "not a data·inclusion typologie code; dropped");
            }
            Record.SetMany("typologie", codes);
        }

        /// <summary>ISO dates pass; an ISO timestamp keeps its date; DD/MM/YYYY (French order, unambiguous) is rewritten.</summary>
        public string? Date(string field, string? value)
        {
            var v = Normalize.Text(value);
            if (v is null) return null;
            if (v.Length > 10 && v[10] is 'T' or ' '
                && DateOnly.TryParseExact(v[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var iso))
                return iso.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            if (DateOnly.TryParseExact(v, "dd/MM/yyyy", CultureInfo.InvariantCulture, DateTimeStyles.None, out var fr))
                return fr.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            return v;
        }

        /// <summary>A v1 vocabulary field: each value matched to its official label (case, accents and quotes tolerated).</summary>
        public void Vocabulary<T>(string field, string? value) where T : struct, Enum
        {
            var labels = new List<string>();
            foreach (var v in Normalize.Split(value, '|', ';'))
            {
                if (Core.Schema.Vocabulary<T>.TryParseLoose(v, out var parsed)) labels.Add(Core.Schema.Vocabulary<T>.Label(parsed));
                else Warn(field, v, $"not a value of the schema {SchemaV1.Version} vocabulary; dropped");
            }
            Record.SetMany(field, labels);
        }

        /// <summary>A v0.1 vocabulary field mapped through one of the <see cref="SchemaV01"/> tables.</summary>
        public void Mapped<T>(
            string field, string? value, IReadOnlyDictionary<string, T> table, Func<T, string?> label, Func<string, string>? key = null)
        {
            var labels = new List<string>();
            foreach (var v in Normalize.Split(value, ';', '|'))
            {
                if (table.TryGetValue(key?.Invoke(v) ?? v, out var mapped)) { if (label(mapped) is { } l) labels.Add(l); }
                else Warn(field, v, "not a schema v0.1 value; dropped");
            }
            Record.SetMany(field, labels);
        }

        public MappedRow Build(string? sourceId) => new(row, Normalize.Text(sourceId), Record, _warnings);

        private static string? DepartementFromPostcode(string? postcode)
        {
            var p = Normalize.PostalCode(postcode);
            if (p is not { Length: 5 }) return null;
            return p.StartsWith("97", StringComparison.Ordinal) || p.StartsWith("98", StringComparison.Ordinal) ? p[..3] : p[..2];
        }
    }
}
