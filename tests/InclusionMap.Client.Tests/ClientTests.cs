using System.Globalization;
using System.Text.Json;
using InclusionMap.Testing;

namespace InclusionMap.Client.Tests;

/// <summary>Site searches through the client against the real server, each answer checked against the database.</summary>
public sealed class ClientTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static readonly Selection<Site> _ids = Selection<Site>.Of(s => s.Id);

    [Fact]
    public async Task Nearest_sites_come_nearest_first_with_the_distances_postgis_computes()
    {
        var (client, _) = server.Connect();
        var page = await client.SitesAsync(new SitesArguments { Near = new GeoPointInput(46.1703, 1.8717), First = 10 });
        var expected = await server.ColumnAsync(
            "SELECT id FROM sites WHERE location IS NOT NULL " +
            "ORDER BY ST_Distance(location, ST_SetSRID(ST_MakePoint(1.8717, 46.1703), 4326)::geography, false), id LIMIT 10");
        Assert.Equal(expected, page.Edges.Select(e => e.Node.Id));
        foreach (var edge in page.Edges)
        {
            var meters = await server.ScalarAsync<double>(
                "SELECT ST_Distance(location, ST_SetSRID(ST_MakePoint(1.8717, 46.1703), 4326)::geography, false) FROM sites WHERE id = $1",
                long.Parse(edge.Node.Id, CultureInfo.InvariantCulture));
            Assert.Equal(meters, edge.DistanceMeters!.Value, 0.01);
        }
        Assert.All(page.Edges, e => Assert.False(string.IsNullOrEmpty(e.Node.Nom)));
        Assert.True(page.PageInfo.HasNextPage);
        Assert.Equal(await server.ScalarAsync<long>("SELECT count(*) FROM sites WHERE location IS NOT NULL"), page.TotalCount);
    }

    [Fact]
    public async Task Paging_through_a_departement_yields_every_site_once()
    {
        var (client, recorder) = server.Connect();
        var ids = new List<string>();
        await foreach (var edge in client.AllSitesAsync(new SitesArguments { DepartementCode = "13" })) ids.Add(edge.Node.Id);
        var expected = await server.ColumnAsync("SELECT id FROM sites WHERE departement_code = '13' ORDER BY id");
        Assert.Equal(expected, ids);
        var pageSize = recorder.Exchanges[0].Variables.GetProperty("first").GetInt32();
        Assert.Equal((expected.Count + pageSize - 1) / pageSize, recorder.Exchanges.Count);
        Assert.True(recorder.Exchanges.Count > 1, "several pages");
    }

    [Fact]
    public async Task Every_argument_of_sites_filters_as_the_database_says()
    {
        var (client, _) = server.Connect();
        var square = JsonDocument.Parse(
            """{"type":"Polygon","coordinates":[[[1.80,46.12],[1.95,46.12],[1.95,46.22],[1.80,46.22],[1.80,46.12]]]}""").RootElement;
        var cases = new (SitesArguments Arguments, string Sql)[]
        {
            (new() { Near = new GeoPointInput(48.1173, -1.6778), RadiusMeters = 20_000 },
                "ST_DWithin(location, ST_SetSRID(ST_MakePoint(-1.6778, 48.1173), 4326)::geography, 20000, false)"),
            (new() { Bbox = new BBoxInput(5.2, 43.2, 5.6, 43.45) },
                "ST_Intersects(location_geometry, ST_MakeEnvelope(5.2, 43.2, 5.6, 43.45, 4326))"),
            (new() { CommuneCode = "13055" }, "commune_code = '13055'"),
            (new() { Within = square }, "ST_Intersects(location_geometry, ST_MakeEnvelope(1.80, 46.12, 1.95, 46.22, 4326))"),
            (new() { Services = [Service.AideAuxDemarchesAdministratives], DepartementCode = "16" },
                $"'{Service.AideAuxDemarchesAdministratives.Label()}' = ANY(services) AND departement_code = '16'"),
            (new() { Publics = [Public.Jeunes] }, $"'{Public.Jeunes.Label()}' = ANY(publics_specifiquement_adresses)"),
            (new() { Frais = [FraisACharge.Payant], DepartementCode = "13" },
                $"'{FraisACharge.Payant.Label()}' = ANY(frais_a_charge) AND departement_code = '13'"),
            (new() { Modalites = [ModaliteAccompagnement.AccompagnementIndividuel], DepartementCode = "06" },
                $"'{ModaliteAccompagnement.AccompagnementIndividuel.Label()}' = ANY(modalites_accompagnement) AND departement_code = '06'"),
            (new() { Programmes = [DispositifProgrammeNational.FranceServices], DepartementCode = "13" },
                $"'{DispositifProgrammeNational.FranceServices.Label()}' = ANY(dispositif_programmes_nationaux) " +
                "AND departement_code = '13'"),
            (new() { Search = "Médiathèque" }, "search_text LIKE '%mediatheque%'"),
        };
        foreach (var (arguments, sql) in cases)
        {
            var expected = await server.ColumnAsync($"SELECT id FROM sites WHERE {sql} ORDER BY id");
            Assert.True(expected.Count > 0, sql);
            var ids = new List<string>();
            await foreach (var edge in client.AllSitesAsync(arguments, _ids)) ids.Add(edge.Node.Id);
            Assert.True(expected.Order().SequenceEqual(ids.Order()), $"{sql}: {ids.Count} sites, the database says {expected.Count}");
        }
    }

    [Fact]
    public async Task Open_at_keeps_only_sites_whose_hours_say_open()
    {
        var (client, _) = server.Connect();
        var instant = new DateTimeOffset(2026, 7, 15, 10, 0, 0, TimeSpan.FromHours(2));
        var open = await client.SitesAsync(new SitesArguments { DepartementCode = "16", OpenAt = instant, First = 20 });
        var all = await server.ScalarAsync<long>("SELECT count(*) FROM sites WHERE departement_code = '16'");
        Assert.InRange(open.TotalCount, 1, all - 1);
        Assert.All(open.Edges, e => Assert.True(e.Node.OpeningHours.Known));
        // The same instant through the field with arguments: every site kept says it is open.
        foreach (var edge in open.Edges.Take(5))
        {
            var data = await client.QueryAsync<JsonElement>(
                "query($id: ID!, $at: DateTime!) { site(id: $id) { openingHours { isOpenAt(at: $at) } } }",
                new Dictionary<string, object?> { ["id"] = edge.Node.Id, ["at"] = instant });
            Assert.True(data.GetProperty("site").GetProperty("openingHours").GetProperty("isOpenAt").GetBoolean());
        }
    }

    [Fact]
    public async Task A_site_comes_with_every_field_as_stored()
    {
        var (client, _) = server.Connect();
        var id = await server.ScalarAsync<long>("SELECT id FROM sites s WHERE horaires IS NOT NULL AND services <> '{}' " +
            "AND EXISTS (SELECT 1 FROM site_sources o WHERE o.site_id = s.id) ORDER BY id LIMIT 1");
        var site = await client.SiteAsync(id.ToString(CultureInfo.InvariantCulture));
        Assert.NotNull(site);
        var row = await server.RowAsync("SELECT * FROM sites WHERE id = $1", id);
        Assert.Equal(row["nom"], site.Nom);
        Assert.Equal(row["pivot"], site.Pivot);
        Assert.Equal(row["code_postal"], site.CodePostal);
        Assert.Equal(row["commune_name"], site.CommuneName);
        Assert.Equal(row["adresse"], site.Adresse);
        Assert.Equal(row["telephone"], site.Telephone);
        Assert.Equal(row["commune_code"], site.CommuneCode);
        Assert.Equal(row["departement_code"], site.DepartementCode);
        Assert.Equal((double)row["latitude"]!, site.Latitude!.Value, 9);
        Assert.Equal((double)row["longitude"]!, site.Longitude!.Value, 9);
        Assert.Equal((string[])row["services"]!, site.Services.Select(s => s.Label()));
        Assert.Equal((string[])row["frais_a_charge"]!, site.FraisACharge.Select(s => s.Label()));
        Assert.Equal((string[])row["modalites_acces"]!, site.ModalitesAcces.Select(s => s.Label()));
        Assert.Equal((string[])row["site_web"]!, site.SiteWeb);
        Assert.Equal(row["date_maj"] is DateOnly date ? date : DateOnly.FromDateTime((DateTime)row["date_maj"]!), site.DateMaj);
        Assert.Equal(row["horaires"], site.Horaires);
        Assert.Equal(site.Horaires, site.OpeningHours.Osm);
        Assert.Equal(7, site.OpeningHours.Weekly.Count);
        Assert.Equal("Point", site.Location!.Value.GetProperty("type").GetString());
        Assert.Equal(await server.ScalarAsync<long>("SELECT count(*) FROM site_sources WHERE site_id = $1", id), site.Sources.Count);
        Assert.Null(site.Commune); // a reference: asked for only when named
        Assert.Null(await client.SiteAsync("987654321"));
    }

    [Fact]
    public async Task A_selection_asks_for_its_fields_only()
    {
        var (client, recorder) = server.Connect();
        var select = Selection<Site>.Of(s => s.Id, s => s.Nom, s => s.CommuneCode)
            .With(s => s.Commune, Selection<Commune>.Of(c => c.Code, c => c.Name));
        var page = await client.SitesAsync(new SitesArguments { DepartementCode = "23", First = 5 }, select);
        Assert.Contains("node { id nom communeCode commune { code name } }", recorder.Last.Query);
        Assert.Equal(5, page.Edges.Count);
        Assert.All(page.Edges, e =>
        {
            Assert.False(string.IsNullOrEmpty(e.Node.Nom));
            Assert.Null(e.Node.Telephone);
            Assert.Empty(e.Node.Services);
            Assert.Equal(e.Node.CommuneCode, e.Node.Commune!.Code);
        });
        Assert.Equal("id nom", Selection<Site>.Of(s => s.Nom, s => s.Id).ToString()); // always in the schema's order
        Assert.DoesNotContain("sources", Selection<Site>.DefaultForLists.ToString());
        Assert.Contains("sources {", Selection<Site>.Default.ToString());
        Assert.Throws<ArgumentException>(() => Selection<OpeningHours>.Of(h => h.IsOpenAt)); // needs arguments
    }

    [Fact]
    public async Task Pages_are_as_large_as_the_cost_limit_allows()
    {
        var (client, recorder) = server.Connect();
        // Every field of every site, sources and weekly hours included, and its commune with the commune's geometry (a
        // statement for each site): a costly selection, so smaller pages.
        var heavySelection = Selection<Site>.Default.With(s => s.Commune, Selection<Commune>.Default);
        var ids = new List<string>();
        await foreach (var edge in client.AllSitesAsync(new SitesArguments { DepartementCode = "23" }, heavySelection))
        {
            Assert.NotEmpty(edge.Node.Sources);
            Assert.Equal("23", edge.Node.Commune!.DepartementCode);
            ids.Add(edge.Node.Id);
        }
        Assert.Equal(await server.ColumnAsync("SELECT id FROM sites WHERE departement_code = '23' ORDER BY id"), ids);
        var heavy = recorder.Exchanges[0].Variables.GetProperty("first").GetInt32();
        Assert.InRange(heavy, 2, 99);
        // The client's estimate is the server's: one more site per page is refused.
        var refused = await Assert.ThrowsAsync<InclusionMapException>(() =>
            client.SitesAsync(new SitesArguments { CommuneCode = "23096", First = heavy + 1 }, heavySelection));
        Assert.Equal(["MAX_COMPLEXITY_EXCEEDED"], refused.Codes);
        // A costly argument counts too: open at an instant, the same selection gets smaller pages, and they fit.
        var now = new DateTimeOffset(2026, 7, 15, 10, 0, 0, TimeSpan.FromHours(2));
        await foreach (var _ in client.AllSitesAsync(new SitesArguments { DepartementCode = "23", OpenAt = now }, heavySelection)) { }
        var openNow = recorder.Last.Variables.GetProperty("first").GetInt32();
        Assert.InRange(openNow, 1, heavy - 1);
        var refusedOpen = await Assert.ThrowsAsync<InclusionMapException>(() =>
            client.SitesAsync(new SitesArguments { CommuneCode = "23096", OpenAt = now, First = openNow + 1 }, heavySelection));
        Assert.Equal(["MAX_COMPLEXITY_EXCEEDED"], refusedOpen.Codes);
        // The default selection of lists fits larger pages.
        await foreach (var _ in client.AllSitesAsync(new SitesArguments { DepartementCode = "23" })) { }
        Assert.True(recorder.Last.Variables.GetProperty("first").GetInt32() > heavy);
    }
}
