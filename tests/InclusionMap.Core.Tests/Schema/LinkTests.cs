using InclusionMap.Core.Schema;

namespace InclusionMap.Core.Tests.Schema;

/// <summary>Link fields keep only absolute http(s) addresses: anything else could run in a resident's browser on a click.</summary>
public sealed class LinkTests
{
    [Fact]
    public void The_link_fields_are_the_web_site_list_the_appointment_and_the_accessibility_page()
    {
        Assert.Equal(["site_web", "fiche_acces_libre", "prise_rdv"], SchemaV1.Fields.Where(f => f.IsLink).Select(f => f.Name));
        Assert.Equal(SchemaFieldKind.Links, SchemaV1.FieldsByName["site_web"].Kind);
    }

    [Theory]
    [InlineData("https://www.laquincaillerie.tl/")]
    [InlineData("http://mediatheque.example.fr/horaires?jour=lundi#ouverture")]
    [InlineData("HTTPS://EXAMPLE.FR")]
    [InlineData("https://acceslibre.beta.gouv.fr/app/29-lampaul-plouarzel/a/bibliotheque-mediatheque/erp/mediatheque-13/")]
    [InlineData("https://médiathèque.example.fr/accès")]
    public void Absolute_http_and_https_addresses_are_links(string value) => Assert.Null(SchemaV1Validator.LinkProblem(value));

    [Theory]
    [InlineData("javascript:alert(document.cookie)")]
    [InlineData("JavaScript:alert(1)")]
    [InlineData("data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==")]
    [InlineData("vbscript:msgbox(1)")]
    [InlineData("ftp://example.fr/file")]
    [InlineData("mailto:contact@example.fr")]
    [InlineData("/relative/path")]
    [InlineData("//example.fr/protocol-relative")]
    [InlineData("example.fr")]
    [InlineData("https://")]
    [InlineData("https:example.fr")]
    [InlineData("http://[::1")]
    [InlineData("https://exa mple.fr")]
    [InlineData("java\tscript:alert(1)")]
    [InlineData("https://example.fr/\u0000")]
    [InlineData("\u0001javascript:alert(1)")]
    [InlineData("https://example.fr/\u202Egnp.exe")]
    public void Other_schemes_relative_malformed_and_control_characters_are_not_links(string value) =>
        Assert.NotNull(SchemaV1Validator.LinkProblem(value));

    [Fact]
    public void A_list_of_links_is_split_on_pipes_semicolons_and_any_whitespace_and_a_single_link_is_one_value()
    {
        var siteWeb = SchemaV1.FieldsByName["site_web"];
        Assert.Equal(["https://a.fr", "https://b.fr/x", "www.c.fr", "javascript:alert(1)"],
            Normalize.Links(" https://a.fr|https://b.fr/x ;www.c.fr\njavascript:alert(1) ", siteWeb));
        Assert.Equal(["https://a.fr https://b.fr"], Normalize.Links(" https://a.fr https://b.fr\t", SchemaV1.FieldsByName["prise_rdv"]));
        Assert.Empty(Normalize.Links(" \n", siteWeb));
        Assert.Throws<ArgumentException>(() => Normalize.Links("x", SchemaV1.FieldsByName["nom"]));
        Assert.Equal("https://www.c.fr", Normalize.Link("www.c.fr"));
        Assert.Equal("javascript:www.c.fr", Normalize.Link("javascript:www.c.fr"));
    }

    [Fact]
    public void The_validator_refuses_a_record_whose_link_field_holds_a_script_address()
    {
        var record = new SchemaV1Record
        {
            ["id"] = "a", ["pivot"] = "12345678901234", ["nom"] = "Lieu", ["commune"] = "Guéret", ["code_postal"] = "23000",
            ["adresse"] = "1 rue A", ["date_maj"] = "2024-04-02",
            ["site_web"] = "https://ok.fr|javascript:alert(1)", ["prise_rdv"] = "https://rdv.fr",
            ["fiche_acces_libre"] = "data:text/html,x",
        };
        var issues = SchemaV1Validator.Validate(record);
        Assert.Equal([("site_web", "https://ok.fr|javascript:alert(1)"), ("fiche_acces_libre", "data:text/html,x")],
            issues.Select(i => (i.Field, i.Value)));
        record["site_web"] = "https://ok.fr|https://autre.fr";
        record["fiche_acces_libre"] = null;
        Assert.Empty(SchemaV1Validator.Validate(record));
    }
}
