using InclusionMap.Testing;

namespace InclusionMap.Client.Tests;

/// <summary>Territories, vocabularies and the coverage analysis through the client, checked against the database.</summary>
public sealed class TerritoryTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task A_commune_carries_its_census_illectronism_and_ifn_figures()
    {
        var (client, _) = server.Connect();
        var commune = await client.CommuneAsync("23096");
        Assert.NotNull(commune);
        var row = await server.RowAsync("SELECT * FROM communes WHERE code = '23096'");
        Assert.Equal(row["nom"], commune.Name);
        Assert.Equal(row["population"], commune.Population);
        Assert.Equal(row["departement_code"], commune.DepartementCode);
        Assert.Equal((string[])row["codes_postaux"]!, commune.CodesPostaux);
        Assert.Equal(row["epci_siren"], commune.Epci!.Siren);
        Assert.Equal((double)row["share_65_plus"]!, commune.Census.Share65Plus!.Value, 9);
        Assert.Equal((double)row["share_no_diploma"]!, commune.Census.ShareNoDiploma!.Value, 9);
        Assert.Equal((double)row["poverty_rate"]!, commune.Census.PovertyRate!.Value, 9);
        Assert.Equal((double)row["illectronism_rate"]!, commune.Illectronism!.Rate, 9);
        Assert.Equal((double)row["people_in_need"]!, commune.Illectronism.People, 6);
        Assert.Equal(row["territory_class"], commune.Illectronism.TerritoryClass);
        Assert.Equal((double)row["ifn_total"]!, commune.Ifn!.Total, 9);
        Assert.Equal("MultiPolygon", commune.Geometry!.Value.GetProperty("type").GetString());
        Assert.Equal(await server.ScalarAsync<long>("SELECT count(*) FROM sites WHERE commune_code = '23096'"), commune.SiteCount);
        Assert.Null(commune.Departement); // a reference: asked for only when named
        Assert.Equal("75056", (await client.CommuneAsync("75104", Selection<Commune>.Of(c => c.Code)))!.Code);
        Assert.Null(await client.CommuneAsync("00000"));
    }

    [Fact]
    public async Task Communes_page_in_code_order_and_suggestions_find_a_commune()
    {
        var (client, _) = server.Connect();
        var codes = new List<string>();
        var select = Selection<Commune>.Of(c => c.Code, c => c.Population);
        await foreach (var edge in client.AllCommunesAsync(new CommunesArguments { DepartementCode = "23" }, select))
            codes.Add(edge.Node.Code);
        Assert.Equal(await server.ColumnAsync("SELECT code FROM communes WHERE departement_code = '23' ORDER BY code"), codes);
        var page = await client.CommunesAsync(new CommunesArguments { DepartementCode = "23", First = 10 });
        Assert.Equal(codes.Count, page.TotalCount);
        Assert.Equal(codes.Take(10), page.Edges.Select(e => e.Node.Code));
        Assert.All(page.Edges, e => Assert.NotNull(e.Node.Illectronism));
        var suggestions = await client.CommuneSuggestionsAsync("guéret", first: 3);
        Assert.Equal("23096", suggestions[0].Code);
        Assert.InRange(suggestions.Count, 1, 3);
    }

    [Fact]
    public async Task Departements_with_their_figures()
    {
        var (client, _) = server.Connect();
        var departement = await client.DepartementAsync("23");
        var row = await server.RowAsync("SELECT * FROM departements WHERE code = '23'");
        Assert.Equal(row["nom"], departement!.Name);
        Assert.Equal(row["population"], departement.Population);
        Assert.Equal(row["zone"], departement.Zone);
        Assert.Equal(await server.ScalarAsync<double>("SELECT sum(people_in_need) FROM communes WHERE departement_code = '23'"),
            departement.Illectronism!.PeopleInNeed, 3);
        var all = await client.DepartementsAsync(Selection<Departement>.Of(d => d.Code, d => d.Name));
        Assert.Equal(await server.ColumnAsync("SELECT code FROM departements ORDER BY code"), all.Select(d => d.Code));
        Assert.All(all, d => Assert.Null(d.Geometry));
    }

    [Fact]
    public async Task Vocabularies_carry_the_labels_of_the_generated_enums()
    {
        var (client, _) = server.Connect();
        var vocabularies = await client.VocabulariesAsync();
        Assert.Equal(Enum.GetValues<Service>().Select(v => (v.GraphQLName(), v.Label())), Entries(vocabularies.Services));
        Assert.Equal(Enum.GetValues<Public>().Select(v => (v.GraphQLName(), v.Label())), Entries(vocabularies.Publics));
        Assert.Equal(Enum.GetValues<DispositifProgrammeNational>().Select(v => (v.GraphQLName(), v.Label())),
            Entries(vocabularies.DispositifProgrammesNationaux));
        Assert.Equal(Enum.GetValues<FormationLabel>().Select(v => (v.GraphQLName(), v.Label())), Entries(vocabularies.FormationsLabels));
        Assert.Equal(Enum.GetValues<ModaliteAcces>().Select(v => (v.GraphQLName(), v.Label())), Entries(vocabularies.ModalitesAcces));
        Assert.Equal("Aide aux démarches administratives", Service.AideAuxDemarchesAdministratives.Label());
    }

    [Fact]
    public async Task Coverage_of_a_departement()
    {
        var (client, _) = server.Connect();
        var coverage = await client.CoverageAsync(new CoverageArguments { DepartementCode = "23", Suggest = 2 });
        Assert.Equal(await server.ScalarAsync<long>("SELECT count(*) FROM communes WHERE departement_code = '23'"),
            coverage.Summary.Communes);
        Assert.Equal(await server.ScalarAsync<long>("SELECT count(*) FROM sites WHERE departement_code = '23' AND location IS NOT NULL"),
            coverage.Summary.Sites);
        Assert.Equal(10_000, coverage.MaxDistanceMeters);
        Assert.Equal(2, coverage.Suggestions.Count);
        Assert.Equal([1, 2], coverage.Suggestions.Select(s => s.Rank));
        Assert.NotEmpty(coverage.Gaps);
        Assert.All(coverage.Gaps, g => Assert.True(g.Beyond && g.NearestDistanceMeters > 10_000));
        Assert.Equal(coverage.Gaps.Select(g => g.PeopleInNeed).OrderDescending(), coverage.Gaps.Select(g => g.PeopleInNeed));
        Assert.Equal(Math.Min(100, coverage.Summary.Communes), coverage.Communes.Count);
        Assert.True(coverage.Summary.CoveredAfter >= coverage.Summary.CoveredBefore);
        var services = await client.CoverageAsync(
            new CoverageArguments { DepartementCode = "23", Services = [Service.AideAuxDemarchesAdministratives] },
            Selection<Coverage>.Of(c => c.Summary));
        Assert.Equal(await server.ScalarAsync<long>(
            "SELECT count(*) FROM sites WHERE departement_code = '23' AND location IS NOT NULL " +
            $"AND '{Service.AideAuxDemarchesAdministratives.Label()}' = ANY(services)"),
            services.Summary.Sites);
        Assert.Empty(services.Suggestions);
    }

    private static IEnumerable<(string, string)> Entries(IReadOnlyList<VocabularyEntry> entries) => entries.Select(e => (e.Value, e.Label));
}
