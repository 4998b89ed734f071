using System.Text.Json;
using InclusionMap.Core.Schema;

namespace InclusionMap.Core.Tests.Schema;

/// <summary>Our schema table and vocabularies must say exactly what the published schema file says.</summary>
public sealed class SchemaV1Tests
{
    private static JsonElement PublishedFields()
    {
        var path = Path.Combine(OpenDataDirectory.Resolve(), "schema", "schema-lieux-mediation-numerique-v1.0.2.json");
        return JsonDocument.Parse(File.ReadAllText(path)).RootElement.GetProperty("fields");
    }

    [Fact]
    public void Field_names_order_required_flags_patterns_and_lengths_equal_the_published_schema()
    {
        var published = PublishedFields().EnumerateArray().ToList();
        Assert.Equal(published.Select(f => f.GetProperty("name").GetString()), SchemaV1.Fields.Select(f => f.Name));
        foreach (var (json, ours) in published.Zip(SchemaV1.Fields))
        {
            var constraints = json.TryGetProperty("constraints", out var c) ? c : default;
            bool Has(string name) => constraints.ValueKind == JsonValueKind.Object && constraints.TryGetProperty(name, out _);
            Assert.True(
                Has("required") && constraints.GetProperty("required").GetBoolean() == ours.Required || !Has("required") && !ours.Required,
                ours.Name);
            Assert.Equal(Has("pattern") ? constraints.GetProperty("pattern").GetString() : null, ours.Pattern);
            Assert.Equal(Has("maxLength") ? constraints.GetProperty("maxLength").GetInt32() : null, ours.MaxLength);
        }
    }

    [Fact]
    public void Every_vocabulary_label_is_accepted_by_its_published_pattern_alone_and_in_a_list()
    {
        void Check<T>(string field) where T : struct, Enum
        {
            var definition = SchemaV1.FieldsByName[field];
            var labels = Vocabulary<T>.Values.Select(Vocabulary<T>.Label).ToList();
            Assert.All(labels, label => Assert.True(definition.Matches(label), $"{field}: {label}"));
            Assert.True(definition.Matches(string.Join('|', labels)));
            Assert.False(definition.Matches(string.Join(';', labels)), "v0.1 separator must be refused");
            Assert.False(definition.Matches(labels[0] + "|Autre chose"));
        }
        Check<Service>("services");
        Check<Public>("publics_specifiquement_adresses");
        Check<PriseEnChargeSpecifique>("prise_en_charge_specifique");
        Check<FraisACharge>("frais_a_charge");
        Check<DispositifProgrammeNational>("dispositif_programmes_nationaux");
        Check<FormationLabel>("formations_labels");
        Check<ModaliteAcces>("modalites_acces");
        Check<ModaliteAccompagnement>("modalites_accompagnement");
        Check<Itinerance>("itinerance");
    }

    [Fact]
    public void The_official_valid_example_validates_and_round_trips_through_a_site()
    {
        var path = Path.Combine(OpenDataDirectory.Resolve(), "schema", "exemple-valide-v1.0.2.csv");
        using var reader = new StreamReader(path);
        var rows = Csv.Read(reader).ToList();
        var record = SchemaV1Record.FromDictionary(rows[0].Fields.Zip(rows[1].Fields).ToDictionary(p => p.First, p => (string?)p.Second));
        Assert.Empty(SchemaV1Validator.Validate(record));

        var site = new Core.Places.Site();
        Core.Places.SiteRecord.Apply(record, site);
        var back = Core.Places.SiteRecord.ToRecord(site, record.Id!);
        foreach (var field in SchemaV1.Fields.Select(f => f.Name).Where(f => f is not ("latitude" or "longitude")))
            Assert.Equal(record[field], back[field]);
        Assert.Equal(43.52609, back.GetNumber("latitude"));
        Assert.Equal(5.41423, back.GetNumber("longitude"));
    }

    [Theory]
    [InlineData("nom", null, "required field is missing")]
    [InlineData("code_postal", "2300", "does not match")]
    [InlineData("code_insee", "20001", "does not match")]
    [InlineData("telephone", "0545932222", "does not match")]
    [InlineData("date_maj", "2024-13-01", "not an ISO date")]
    [InlineData("latitude", "north", "not a number")]
    [InlineData("services", "Aide aux démarches administratives;Loisirs et créations numériques", "does not match")]
    public void Each_kind_of_invalid_value_is_reported_on_its_field(string field, string? value, string reason)
    {
        var record = ValidRecord();
        record[field] = value;
        var issue = Assert.Single(SchemaV1Validator.Validate(record));
        Assert.Equal(field, issue.Field);
        Assert.Contains(reason, issue.Reason);
    }

    [Fact]
    public void Summary_longer_than_280_characters_and_half_coordinates_are_refused()
    {
        var record = ValidRecord();
        record["presentation_resume"] = new string('a', 281);
        Assert.Equal("presentation_resume", Assert.Single(SchemaV1Validator.Validate(record)).Field);
        record = ValidRecord();
        record["longitude"] = null;
        Assert.Contains("together", Assert.Single(SchemaV1Validator.Validate(record)).Reason);
    }

    private static SchemaV1Record ValidRecord() => new()
    {
        ["id"] = "x", ["pivot"] = "00000000000000", ["nom"] = "Lieu", ["commune"] = "Guéret", ["code_postal"] = "23000",
        ["code_insee"] = "23096", ["adresse"] = "1 rue", ["date_maj"] = "2024-01-01", ["latitude"] = "46.17", ["longitude"] = "1.87",
    };
}
