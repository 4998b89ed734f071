using InclusionMap.Core.Places;
using InclusionMap.Core.Schema;

namespace InclusionMap.Core.Tests.Places;

public sealed class SiteFieldsTests
{
    [Fact]
    public void Every_schema_field_but_the_source_id_is_carried_by_exactly_one_field()
    {
        var carried = SiteFields.All.Where(f => f.Schema is not null).Select(f => f.Schema!).ToList();
        Assert.Equal(carried.Count, carried.Distinct().Count());
        Assert.Equal(SchemaV1.Fields.Select(f => f.Name).Where(n => n != "id").Order(), carried.Order());
    }

    [Theory]
    [InlineData(nameof(Site.Id), SiteFieldKind.Id, false, "id", "id")]
    [InlineData(nameof(Site.CommuneName), SiteFieldKind.Text, false, "commune_name", "communeName")]
    [InlineData(nameof(Site.CodeInsee), SiteFieldKind.Text, true, "code_insee", "codeInsee")]
    [InlineData(nameof(Site.Latitude), SiteFieldKind.Number, true, "latitude", "latitude")]
    [InlineData(nameof(Site.DateMaj), SiteFieldKind.Date, false, "date_maj", "dateMaj")]
    [InlineData(nameof(Site.Location), SiteFieldKind.Point, true, "location", "location")]
    [InlineData(nameof(Site.DispositifProgrammesNationaux), SiteFieldKind.TextList, false, "dispositif_programmes_nationaux",
        "dispositifProgrammesNationaux")]
    [InlineData(nameof(Site.UpdatedAt), SiteFieldKind.Instant, false, "updated_at", "updatedAt")]
    public void A_field_derives_its_kind_nullability_column_and_graphql_name_from_its_property(
        string name, SiteFieldKind kind, bool nullable, string column, string graphQLName)
    {
        var field = SiteFields.ByName[name];
        Assert.Equal((kind, nullable, column, graphQLName), (field.Kind, field.Nullable, field.Column, field.GraphQLName));
    }

    [Fact]
    public void Vocabulary_fields_name_the_enum_of_their_schema_field()
    {
        Assert.Equal(typeof(Service), SiteFields.BySchemaName["services"].Vocabulary);
        Assert.Equal(typeof(Itinerance), SiteFields.BySchemaName["itinerance"].Vocabulary);
        Assert.Null(SiteFields.BySchemaName["typologie"].Vocabulary);
        Assert.All(SiteFields.All.Where(f => f.Vocabulary is not null), f => Assert.Equal(SiteFieldKind.TextList, f.Kind));
    }

    [Fact]
    public void Internal_columns_and_navigations_are_not_published()
    {
        string[] internals =
            [nameof(Site.LocationGeometry), nameof(Site.SearchText), nameof(Site.CreatedAt), nameof(Site.Commune), nameof(Site.Sources)];
        foreach (var name in internals)
            Assert.False(SiteFields.ByName.ContainsKey(name), name);
    }

    [Fact]
    public void Get_and_set_reach_private_setters()
    {
        var site = new Site();
        SiteFields.ByName[nameof(Site.Latitude)].Set(site, 46.17);
        SiteFields.ByName[nameof(Site.Nom)].Set(site, "Médiathèque");
        Assert.Equal((46.17, "Médiathèque"), (site.Latitude, site.Nom));
        Assert.Equal(46.17, SiteFields.ByName[nameof(Site.Latitude)].Get(site));
    }

    [Theory]
    [InlineData("CommuneName", "commune_name")]
    [InlineData("PublicsSpecifiquementAdresses", "publics_specifiquement_adresses")]
    [InlineData("ID", "id")]
    [InlineData("HTMLPage", "html_page")]
    public void Snake_case_follows_the_naming_convention_of_the_database(string name, string column) =>
        Assert.Equal(column, SiteField.SnakeCase(name));

    [Fact]
    public void A_record_survives_the_trip_through_a_site()
    {
        var record = new SchemaV1Record
        {
            ["id"] = "x1", ["pivot"] = "12345678901234", ["nom"] = "Médiathèque", ["commune"] = "Guéret", ["code_postal"] = "23000",
            ["code_insee"] = "23096", ["adresse"] = "1 rue", ["latitude"] = "46.1703", ["longitude"] = "1.8717",
            ["date_maj"] = "2024-05-02",
            ["services"] = "Aide aux démarches administratives|Accès internet et matériel informatique", ["site_web"] = "https://a.fr",
            ["horaires"] = "Mo 09:00-12:00",
        };
        var site = new Site();
        SiteRecord.Apply(record, site);
        Assert.Equal(["Aide aux démarches administratives", "Accès internet et matériel informatique"], site.Services);
        Assert.Equal((1.8717, 46.1703), (site.Location!.X, site.Location.Y));
        Assert.Equal(new DateOnly(2024, 5, 2), site.DateMaj);
        Assert.Equal(record.ToDictionary(), SiteRecord.ToRecord(site, "x1").ToDictionary());
    }
}
