using GraphQL.Types;
using InclusionMap.Core.Schema;

namespace InclusionMap.Server.GraphQL;

/// <summary>
/// A vocabulary of the national schema as a GraphQL enum: values in CONSTANT_CASE from the C# names
/// (<c>AIDE_AUX_DEMARCHES_ADMINISTRATIVES</c>), each described by its official French label, which the
/// <c>vocabularies</c> query also lists.
/// </summary>
public class VocabularyEnumType<T> : EnumerationGraphType<T> where T : struct, Enum
{
    public VocabularyEnumType(string name, string description)
    {
        Name = name;
        Description = description;
        foreach (var value in Values) value.Description = Vocabulary<T>.Label((T)value.Value!);
    }
}

public sealed class ServiceEnum() : VocabularyEnumType<Service>("Service", "services: the help offered (schema v1.0.2).");
public sealed class PublicEnum() : VocabularyEnumType<Public>("Public", "publics_specifiquement_adresses: publics the place specifically addresses.");
public sealed class PriseEnChargeEnum() : VocabularyEnumType<PriseEnChargeSpecifique>("PriseEnChargeSpecifique", "prise_en_charge_specifique: specific needs the place takes care of.");
public sealed class FraisEnum() : VocabularyEnumType<FraisACharge>("FraisACharge", "frais_a_charge: whether help is free.");
public sealed class ModaliteAccompagnementEnum() : VocabularyEnumType<ModaliteAccompagnement>("ModaliteAccompagnement", "modalites_accompagnement: how help is given.");
public sealed class ModaliteAccesEnum() : VocabularyEnumType<ModaliteAcces>("ModaliteAcces", "modalites_acces: how to get help.");
public sealed class DispositifEnum() : VocabularyEnumType<DispositifProgrammeNational>("DispositifProgrammeNational", "dispositif_programmes_nationaux: national programmes.");
public sealed class FormationLabelEnum() : VocabularyEnumType<FormationLabel>("FormationLabel", "formations_labels: trainings and labels.");
public sealed class ItineranceEnum() : VocabularyEnumType<Itinerance>("Itinerance", "itinerance: fixed or itinerant.");

/// <summary>One vocabulary value with its official label.</summary>
public sealed record VocabularyEntry(string Value, string Label);

public sealed class VocabularyEntryType : ObjectGraphType<VocabularyEntry>
{
    public VocabularyEntryType()
    {
        Name = "VocabularyEntry";
        Description = "A value of a national-schema vocabulary: the GraphQL enum value and the official French label.";
        Field(x => x.Value).Description("The GraphQL enum value, e.g. AIDE_AUX_DEMARCHES_ADMINISTRATIVES.");
        Field(x => x.Label).Description("The official label, e.g. « Aide aux démarches administratives ».");
    }
}

public sealed class VocabulariesType : ObjectGraphType
{
    public VocabulariesType()
    {
        Name = "Vocabularies";
        Description = "Every vocabulary of the national schema v1.0.2 with its official labels.";
        Add("services", new ServiceEnum());
        Add("publics", new PublicEnum());
        Add("priseEnChargeSpecifique", new PriseEnChargeEnum());
        Add("fraisACharge", new FraisEnum());
        Add("modalitesAccompagnement", new ModaliteAccompagnementEnum());
        Add("modalitesAcces", new ModaliteAccesEnum());
        Add("dispositifProgrammesNationaux", new DispositifEnum());
        Add("formationsLabels", new FormationLabelEnum());
        Add("itinerance", new ItineranceEnum());
    }

    /// <summary>Entries read from the enum type itself, so names and labels cannot drift apart.</summary>
    private void Add(string name, EnumerationGraphType type)
    {
        var entries = type.Values.Select(v => new VocabularyEntry(v.Name, v.Description!)).ToList();
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<VocabularyEntryType>>>>(name).Resolve(_ => entries);
    }
}
