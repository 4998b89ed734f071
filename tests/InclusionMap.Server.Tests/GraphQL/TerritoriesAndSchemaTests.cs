using GraphQL;
using GraphQL.Types;
using InclusionMap.Server.GraphQL;
using Microsoft.Extensions.DependencyInjection;

namespace InclusionMap.Server.Tests.GraphQL;

public sealed class TerritoriesAndSchemaTests(GraphQLServerFixture server) : IClassFixture<GraphQLServerFixture>
{
    [Fact]
    public async Task Paging_communes_walks_all_34868_exactly_once_in_code_order()
    {
        var codes = new List<string>();
        string? after = null;
        int total;
        do
        {
            var communes = (await server.DataAsync("query($after: String) { communes(first: 100, after: $after) "
                + "{ totalCount pageInfo { hasNextPage endCursor } edges { node { code } } } }", new { after }))["communes"]!;
            total = communes["totalCount"]!.GetValue<int>();
            codes.AddRange(communes["edges"]!.AsArray().Select(e => e!["node"]!["code"]!.GetValue<string>()));
            after = communes["pageInfo"]!["hasNextPage"]!.GetValue<bool>() ? communes["pageInfo"]!["endCursor"]!.GetValue<string>() : null;
        } while (after is not null);
        Assert.Equal(34868, total);
        Assert.Equal(34868, codes.Distinct().Count());
        Assert.Equal(codes.Order(StringComparer.Ordinal), codes);
    }

    [Fact]
    public async Task A_commune_has_its_population_census_geometry_and_sites_and_an_arrondissement_code_finds_its_commune()
    {
        var gueret = (await server.DataAsync("""
            { commune(code: "23096") { code name population departementCode epci { siren } census { share65Plus shareNoDiploma }
                geometry centre sites(first: 100) { totalCount edges { node { communeName } } } departement { name } } }
            """))["commune"]!;
        Assert.Equal("Guéret", gueret["name"]!.GetValue<string>());
        Assert.Equal(12955, gueret["population"]!.GetValue<int>());
        Assert.Equal("Creuse", gueret["departement"]!["name"]!.GetValue<string>());
        Assert.Equal("MultiPolygon", gueret["geometry"]!["type"]!.GetValue<string>());
        Assert.InRange(gueret["census"]!["share65Plus"]!.GetValue<double>(), 0.1, 0.5);
        Assert.Equal(await server.ScalarAsync<long>("SELECT count(*) FROM sites WHERE commune_code = '23096'"),
            gueret["sites"]!["totalCount"]!.GetValue<int>());
        Assert.Equal("Paris", (await server.DataAsync("{ commune(code: \"75104\") { name } }"))["commune"]!["name"]!.GetValue<string>());
        Assert.Null((await server.DataAsync("{ commune(code: \"99999\") { name } }"))["commune"]);
    }

    [Fact]
    public async Task Departements_list_every_one_and_count_their_sites_like_sql()
    {
        var all = (await server.DataAsync("{ departements { code name population } }"))["departements"]!.AsArray();
        Assert.Equal(await server.ScalarAsync<long>("SELECT count(*) FROM departements"), all.Count);
        var creuse = (await server.DataAsync("{ departement(code: \"23\") { name population geometry sites(first: 1) { totalCount } "
            + "communes(first: 5) { totalCount } } }"))["departement"]!;
        Assert.Equal("Creuse", creuse["name"]!.GetValue<string>());
        Assert.Equal(await server.ScalarAsync<long>("SELECT count(*) FROM sites WHERE departement_code = '23'"),
            creuse["sites"]!["totalCount"]!.GetValue<int>());
        Assert.Equal(255, creuse["communes"]!["totalCount"]!.GetValue<int>());
        Assert.Equal(await server.ScalarAsync<long>("SELECT sum(population) FROM communes WHERE departement_code = '23'"),
            creuse["population"]!.GetValue<long>());
        Assert.Contains(creuse["geometry"]!["type"]!.GetValue<string>(), new[] { "Polygon", "MultiPolygon" });
    }

    [Theory]
    [InlineData("guer", "44069")]   // Guérande (16,000 inhabitants) before Guéret (13,000): the more populated first
    [InlineData("guere", "23096")]
    [InlineData("GUÉRET", "23096")]
    [InlineData("23000", "23096")]
    [InlineData("rennes", "35238")]
    [InlineData("saint-etienne", "42218")]
    public async Task Suggestions_find_communes_by_name_or_postcode_most_likely_first(string query, string expectedFirst)
    {
        var suggestions = (await server.DataAsync("query($q: String!) { communeSuggestions(query: $q) { code name latitude longitude } }",
            new { q = query }))["communeSuggestions"]!.AsArray();
        Assert.Equal(expectedFirst, suggestions[0]!["code"]!.GetValue<string>());
        Assert.InRange(suggestions.Count, 1, 8);
        Assert.NotNull(suggestions[0]!["latitude"]);
    }

    [Fact]
    public async Task A_site_shows_its_opening_hours_evaluated_at_given_instants_and_its_provenance()
    {
        var id = await server.ScalarAsync<long>("SELECT s.id FROM sites s JOIN site_sources x ON x.site_id = s.id "
            + "WHERE x.dataset = 'france-services_liste-fs' AND x.source_id = '1'");
        var site = (await server.DataAsync($$"""
            { site(id: "{{id}}") { nom telephone services dispositifProgrammesNationaux sources { dataset sourceId rowNumber }
                openingHours { osm known hoursPerWeek weekly { day ranges }
                  mon: isOpenAt(at: "2026-07-13T15:00:00+02:00") holiday: isOpenAt(at: "2026-07-14T10:00:00+02:00")
                  nextOpening(after: "2026-07-10T18:00:00+02:00") } } }
            """))["site"]!;
        Assert.Equal("+33450568749", site["telephone"]!.GetValue<string>());
        Assert.Equal("AIDE_AUX_DEMARCHES_ADMINISTRATIVES", site["services"]![0]!.GetValue<string>());
        Assert.Equal("FRANCE_SERVICES", site["dispositifProgrammesNationaux"]![0]!.GetValue<string>());
        Assert.Equal("1", site["sources"]![0]!["sourceId"]!.GetValue<string>());
        var hours = site["openingHours"]!;
        Assert.True(hours["known"]!.GetValue<bool>());
        Assert.True(hours["mon"]!.GetValue<bool>());
        // No "PH off" in the France Services hours: a Tuesday 14 July is evaluated as a Tuesday.
        Assert.True(hours["holiday"]!.GetValue<bool>());
        Assert.Equal("2026-07-13T13:30:00+02:00", hours["nextOpening"]!.GetValue<string>());
        Assert.Equal(["13:30-17:00"], hours["weekly"]![0]!["ranges"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Null((await server.DataAsync("{ site(id: \"999999999\") { nom } }"))["site"]);
        Assert.Null((await server.DataAsync("{ site(id: \"abc\") { nom } }"))["site"]);
    }

    [Fact]
    public async Task Vocabularies_give_every_enum_value_with_its_official_label()
    {
        var services = (await server.DataAsync(
            "{ vocabularies { services { value label } fraisACharge { value label } } }"))["vocabularies"]!["services"]!.AsArray();
        Assert.Equal(9, services.Count);
        Assert.Contains(services, s => s!["value"]!.GetValue<string>() == "AIDE_AUX_DEMARCHES_ADMINISTRATIVES"
            && s["label"]!.GetValue<string>() == "Aide aux démarches administratives");
    }

    [Fact]
    public async Task The_checked_in_sdl_is_the_schema_the_server_serves()
    {
        var schema = server.App.Services.GetRequiredService<ISchema>();
        var printed = schema.Print().ReplaceLineEndings("\n").Trim() + "\n";
        var path = Path.Combine(RepositoryRoot(), "docs", "schema.graphql");
        if (Environment.GetEnvironmentVariable("INCLUSIONMAP_UPDATE_SCHEMA") == "1") await File.WriteAllTextAsync(path, printed);
        Assert.True(File.Exists(path), $"{path} is missing: run the tests once with INCLUSIONMAP_UPDATE_SCHEMA=1");
        Assert.True(printed == (await File.ReadAllTextAsync(path)).ReplaceLineEndings("\n"),
            "The GraphQL schema changed: review the change, then update docs/schema.graphql "
            + "(INCLUSIONMAP_UPDATE_SCHEMA=1 dotnet test --filter The_checked_in_sdl).");
        string[] arguments =
        [
            "near: GeoPointInput", "radiusMeters: Float", "bbox: BBoxInput", "within: GeoJSON", "services: [Service!]", "openAt: DateTime",
            "first: Int = 20",
        ];
        foreach (var argument in arguments)
            Assert.Contains(argument, printed);
        _ = await server.DataAsync("{ __schema { queryType { name } } }");
        _ = typeof(InclusionMapSchema);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "InclusionMap.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException();
    }
}
