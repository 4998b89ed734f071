using System.Text;
using System.Text.Json;
using System.Xml;
using Microsoft.OData.Edm;
using Microsoft.OData.Edm.Csdl;
using Microsoft.OData.Edm.Validation;

namespace InclusionMap.Server.Tests.OData;

/// <summary>
/// $metadata as clients load it, and whole feeds read with ODataMessageReader following next links: every row of the
/// real catalogue exactly once, whatever the order (key, distance, orders with many ties).
/// </summary>
public sealed class MetadataAndFeedTests(ODataServerFixture server) : IClassFixture<ODataServerFixture>
{
    private const string Gueret = "geography'SRID=4326;POINT(1.8717 46.1703)'";

    [Fact]
    public async Task Metadata_in_xml_and_json_loads_through_CsdlReader_and_validates()
    {
        var xml = await server.Client.GetStringAsync("/odata/$metadata");
        using (var reader = XmlReader.Create(new StringReader(xml)))
        {
            Assert.True(CsdlReader.TryParse(reader, out var model, out var errors), string.Join("; ", errors ?? []));
            Assert.True(model.Validate(out var validation), string.Join("; ", validation.Select(e => e.ErrorMessage)));
            AssertShape(model);
        }

        // CSDL JSON (OData 4.01) is served with $format=json.
        using var response = await server.Client.GetAsync("/odata/$metadata?$format=json");
        Assert.True(response.IsSuccessStatusCode);
        Assert.StartsWith("application/json", response.Content.Headers.ContentType!.MediaType);
        var json = await response.Content.ReadAsByteArrayAsync();
        var jsonReader = new Utf8JsonReader(json);
        Assert.True(CsdlReader.TryParse(ref jsonReader, out var jsonModel, out var jsonErrors), string.Join("; ", jsonErrors ?? []));
        AssertShape(jsonModel);
    }

    private static void AssertShape(IEdmModel model)
    {
        var container = model.EntityContainer;
        Assert.Equal(["Communes", "Departements", "Regions", "Sites"], container.EntitySets().Select(s => s.Name).Order());
        var site = container.FindEntitySet("Sites").EntityType;
        Assert.Equal("Edm.GeographyPoint", site.FindProperty("Location").Type.FullName());
        Assert.Equal("Collection(Edm.String)", site.FindProperty("Services").Type.FullName());
        Assert.Equal("Edm.Double", site.FindProperty("Latitude").Type.FullName());
        Assert.Null(site.FindProperty("LocationPoint"));
        Assert.Null(site.FindProperty("SearchText"));
        Assert.Equal("InclusionMap.Commune", ((IEdmNavigationProperty)site.FindProperty("Commune")).ToEntityType().FullName());
        var commune = container.FindEntitySet("Communes").EntityType;
        Assert.Equal("Edm.GeographyMultiPolygon", commune.FindProperty("Geometry").Type.FullName());
        Assert.True(((IEdmNavigationProperty)commune.FindProperty("Sites")).Type.IsCollection());
        var departement = container.FindEntitySet("Departements").EntityType;
        Assert.True(((IEdmNavigationProperty)departement.FindProperty("Communes")).Type.IsCollection());
        Assert.Contains(container.FindEntitySet("Sites").NavigationPropertyBindings,
            b => b.NavigationProperty.Name == "Commune" && b.Target.Name == "Communes");
    }

    private async Task AssertEverySiteOnceAsync(string url, int expectedPages, string where = "TRUE")
    {
        var model = await server.ModelAsync();
        var (entries, pages, _) = await FeedReader.ReadAllAsync(server.Client, model, "Sites", url);
        var ids = entries.Select(e => e.Id()).ToList();
        var expected = await server.ScalarAsync<long>($"SELECT count(*) FROM sites WHERE {where}");
        Assert.Equal(expected, ids.Count);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        var sum = await server.ScalarAsync<decimal>($"SELECT sum(id) FROM sites WHERE {where}");
        Assert.Equal(sum, ids.Sum(i => (decimal)i));
        Assert.Equal(expectedPages, pages);
    }

    [Fact]
    public async Task Following_next_links_reads_every_site_exactly_once()
    {
        var count = await server.ScalarAsync<long>("SELECT count(*) FROM sites");
        await AssertEverySiteOnceAsync("/odata/Sites?$select=Id,Nom", (int)((count + 99) / 100));
    }

    [Fact]
    public async Task Orders_with_ties_and_distance_order_page_through_every_site_exactly_once()
    {
        var count = await server.ScalarAsync<long>("SELECT count(*) FROM sites");
        var pages = (int)((count + 99) / 100);
        // Thousands of sites share a département, a date or a place: the appended key keeps the pages apart.
        await AssertEverySiteOnceAsync("/odata/Sites?$select=Id&$orderby=DepartementCode desc", pages);
        await AssertEverySiteOnceAsync("/odata/Sites?$select=Id&$orderby=DateMaj,CodePostal", pages);
        // Ordered by distance, sites without a position are left out, as in every search of the catalogue.
        var located = await server.ScalarAsync<long>("SELECT count(*) FROM sites WHERE location IS NOT NULL");
        Assert.True(located < count);
        await AssertEverySiteOnceAsync($"/odata/Sites?$select=Id&$orderby=geo.distance(Location, {Gueret})", (int)((located + 99) / 100),
            "location IS NOT NULL");
    }

    [Fact]
    public async Task Distance_order_follows_an_independent_ST_Distance_across_pages()
    {
        var model = await server.ModelAsync();
        var (entries, _, count) = await FeedReader.ReadAllAsync(server.Client, model, "Sites",
            $"/odata/Sites?$select=Id,Latitude&$filter=geo.distance(Location, {Gueret}) le 100000&$orderby=geo.distance(Location, {Gueret})"
                + "&$count=true");
        var reference = await DistancesAsync(1.8717, 46.1703, 100000);
        Assert.Equal(reference.Count, entries.Count);
        Assert.Equal(reference.Count, count);
        var served = entries.Select(e => reference[e.Id()]).ToList();
        // Non-decreasing by the reference distance (a metre of slack: <-> and ST_Distance round differently).
        for (var i = 1; i < served.Count; i++) Assert.True(served[i] >= served[i - 1] - 1, $"row {i}: {served[i]} after {served[i - 1]}");
    }

    private async Task<Dictionary<long, double>> DistancesAsync(double lon, double lat, double radius)
    {
        var result = new Dictionary<long, double>();
        await using var command = server.DataSource.CreateCommand(
            "SELECT id, ST_Distance(location, ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography, false) FROM sites WHERE "
                + "ST_Distance(location, ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography, false) <= $3");
        command.Parameters.Add(new() { Value = lon });
        command.Parameters.Add(new() { Value = lat });
        command.Parameters.Add(new() { Value = radius });
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) result[reader.GetInt64(0)] = reader.GetDouble(1);
        return result;
    }

    [Fact]
    public async Task Every_commune_comes_exactly_once_without_its_polygon()
    {
        var model = await server.ModelAsync();
        var (entries, pages, count) = await FeedReader.ReadAllAsync(server.Client, model, "Communes", "/odata/Communes?$count=true");
        var expected = await server.ScalarAsync<long>("SELECT count(*) FROM communes");
        Assert.Equal(expected, count);
        Assert.Equal(expected, entries.Count);
        Assert.Equal(entries.Count, entries.Select(e => (string)e.Value("Code")!).Distinct().Count());
        Assert.Equal((int)((expected + 99) / 100), pages);
        Assert.DoesNotContain(entries, e => e.Has("Geometry"));
        Assert.Equal(await server.ScalarAsync<long>("SELECT coalesce(sum(population), 0) FROM communes"),
            entries.Sum(e => Convert.ToInt64(e.Value("Population") ?? 0)));
    }

    [Fact]
    public async Task Top_is_paged_and_honoured_and_skip_pages_do_not_overlap()
    {
        var model = await server.ModelAsync();
        var (entries, pages, _) = await FeedReader.ReadAllAsync(server.Client, model, "Sites", "/odata/Sites?$select=Id&$top=250&$skip=30");
        Assert.Equal(250, entries.Count);
        Assert.Equal(3, pages);
        var ids = await server.ScalarAsync<long[]>(
            "SELECT array_agg(id ORDER BY id) FROM (SELECT id FROM sites ORDER BY id OFFSET 30 LIMIT 250) x");
        Assert.Equal(ids, entries.Select(e => e.Id()));
    }

    [Fact]
    public async Task Power_BI_and_Excel_requests_get_json_pages_with_absolute_next_links()
    {
        var model = await server.ModelAsync();
        // The headers Power Query (Excel "From OData Feed", Power BI OData.Feed) sends.
        void PowerQuery(HttpRequestMessage r)
        {
            r.Headers.Remove("Accept");
            r.Headers.TryAddWithoutValidation("Accept", "application/json;odata.metadata=minimal;q=1.0,"
                + "application/json;odata=minimalmetadata;q=0.9,application/atomsvc+xml;q=0.8,application/atom+xml;q=0.8,"
                + "application/xml;q=0.7,text/plain;q=0.7");
            r.Headers.TryAddWithoutValidation("OData-Version", "4.0");
            r.Headers.TryAddWithoutValidation("MaxDataServiceVersion", "3.0");
            r.Headers.TryAddWithoutValidation("User-Agent", "Microsoft.Data.Mashup (https://go.microsoft.com/fwlink/?LinkID=304225)");
            r.Headers.TryAddWithoutValidation("Prefer", "odata.include-annotations=\"*\"");
        }
        using var service = new HttpRequestMessage(HttpMethod.Get, "/odata/");
        PowerQuery(service);
        using var serviceResponse = await server.Client.SendAsync(service);
        var document = await serviceResponse.Content.ReadAsStringAsync();
        Assert.True(serviceResponse.IsSuccessStatusCode, document);
        Assert.Contains("\"Sites\"", document);

        var (entries, _, _) = await FeedReader.ReadAllAsync(server.Client, model, "Departements", "/odata/Departements", PowerQuery);
        Assert.Equal(await server.ScalarAsync<long>("SELECT count(*) FROM departements"), entries.Count);
        var first = await FeedReader.ReadPageAsync(server.Client, model, "Sites", new Uri(server.BaseAddress, "/odata/Sites"), PowerQuery);
        Assert.Equal(100, first.Entries.Count);
        Assert.Equal(server.BaseAddress.Authority, first.NextLink!.Authority);
        Assert.Contains("$skip=100", Uri.UnescapeDataString(first.NextLink.Query));
        Assert.True(first.Entries[0].Value("Latitude") is double or null);
    }

    [Fact]
    public async Task Json_payload_carries_GeoJSON_locations_and_the_polygon_only_when_selected()
    {
        var site = await server.JsonAsync("/odata/Sites?$top=1&$filter=Latitude ne null&$select=Id,Location,Latitude,Longitude");
        var row = site["value"]![0]!;
        Assert.Equal("Point", row["Location"]!["type"]!.GetValue<string>());
        Assert.Equal(row["Longitude"]!.GetValue<double>(), row["Location"]!["coordinates"]![0]!.GetValue<double>(), 9);
        Assert.Equal(row["Latitude"]!.GetValue<double>(), row["Location"]!["coordinates"]![1]!.GetValue<double>(), 9);

        server.Sql.Drain();
        var plain = await server.JsonAsync("/odata/Communes('23096')?$select=*");
        Assert.Null(plain["Geometry"]);
        var expanded = await server.JsonAsync("/odata/Departements('23')?$expand=Communes($top=2)");
        Assert.All(expanded["Communes"]!.AsArray(), c => Assert.Null(c!["Geometry"]));
        // Neither query read the polygons.
        Assert.DoesNotContain(server.Sql.Drain(), c => c.Text.Contains(".geometry", StringComparison.Ordinal));

        var shaped = await server.JsonAsync("/odata/Communes('23096')?$select=Code,Geometry");
        Assert.Equal("MultiPolygon", shaped["Geometry"]!["type"]!.GetValue<string>());
        var rings = shaped["Geometry"]!["coordinates"]!.AsArray().Sum(p => p!.AsArray().Sum(r => r!.AsArray().Count));
        Assert.Equal(await server.ScalarAsync<int>("SELECT ST_NPoints(geometry) FROM communes WHERE code = '23096'"), rings);
    }

    [Fact]
    public async Task Navigation_expand_and_lambda_operators_match_sql()
    {
        var gueret = await server.JsonAsync("/odata/Communes('23096')/Sites?$count=true&$select=Id&$top=1000");
        Assert.Equal(await server.ScalarAsync<long>("SELECT count(*) FROM sites WHERE commune_code = '23096'"),
            gueret["@odata.count"]!.GetValue<long>());

        var withCommune = await server.JsonAsync(
            "/odata/Sites?$top=3&$filter=CommuneCode ne null&$expand=Commune($select=Nom,DepartementCode)&$select=Id,CommuneCode");
        foreach (var row in withCommune["value"]!.AsArray())
            Assert.Equal(await server.ScalarAsync<string>("SELECT nom FROM communes WHERE code = $1",
                row!["CommuneCode"]!.GetValue<string>()), row["Commune"]!["Nom"]!.GetValue<string>());

        var label = await server.ScalarAsync<string>("SELECT s FROM sites, unnest(services) s GROUP BY s ORDER BY count(*) DESC LIMIT 1");
        var any = await server.JsonAsync($"/odata/Sites?$count=true&$top=0&$filter=Services/any(s: s eq '{label.Replace("'", "''")}')");
        Assert.Equal(await server.ScalarAsync<long>("SELECT count(*) FROM sites WHERE $1 = ANY(services)", label),
            any["@odata.count"]!.GetValue<long>());

        var nested = await server.JsonAsync(
            $"/odata/Departements?$count=true&$top=0&$filter=Communes/any(c: c/Sites/any(s: s/Latitude gt 46 and s/Nom ne null))");
        Assert.Equal(await server.ScalarAsync<long>(
            "SELECT count(DISTINCT c.departement_code) FROM communes c JOIN sites s ON s.commune_code = c.code WHERE s.latitude > 46"),
            nested["@odata.count"]!.GetValue<long>());

        var search = await server.JsonAsync("/odata/Sites?$search=GUERET&$count=true&$top=0");
        Assert.Equal(await server.ScalarAsync<long>("SELECT count(*) FROM sites WHERE search_text LIKE '%gueret%'"),
            search["@odata.count"]!.GetValue<long>());
        var accented = await server.JsonAsync("/odata/Sites?$search=Guéret&$count=true&$top=0");
        Assert.Equal(search["@odata.count"]!.GetValue<long>(), accented["@odata.count"]!.GetValue<long>());
        var communes = await server.JsonAsync("/odata/Communes?$search=\"saint etienne\"&$count=true&$top=0");
        Assert.Equal(await server.ScalarAsync<long>("SELECT count(*) FROM communes WHERE search_text LIKE '%saint etienne%'"),
            communes["@odata.count"]!.GetValue<long>());
    }

    [Fact]
    public async Task Apply_groups_and_aggregates_in_the_database()
    {
        server.Sql.Drain();
        var rows = new List<System.Text.Json.Nodes.JsonNode?>();
        string? next = "/odata/Sites?$apply=groupby((DepartementCode),aggregate($count as Sites))";
        while (next is not null)
        {
            var page = await server.JsonAsync(next);
            Assert.Contains("$metadata#Sites(DepartementCode,Sites)", page["@odata.context"]!.GetValue<string>());
            rows.AddRange(page["value"]!.AsArray());
            next = page["@odata.nextLink"]?.GetValue<string>();
        }
        var sql = server.Sql.Drain();
        Assert.Contains(sql, c => c.Text.Contains("GROUP BY", StringComparison.Ordinal));
        Assert.Equal(rows.Count, rows.Select(r => r!["DepartementCode"]?.GetValue<string>()).Distinct().Count());
        var expected = await server.ScalarAsync<long>("SELECT count(DISTINCT coalesce(departement_code, '?')) FROM sites");
        Assert.Equal(expected, rows.Count);
        var creuse = rows.Single(r => r!["DepartementCode"]?.GetValue<string>() == "23")!;
        Assert.Equal(await server.ScalarAsync<long>("SELECT count(*) FROM sites WHERE departement_code = '23'"),
            creuse["Sites"]!.GetValue<long>());

        var population = await server.JsonAsync(
            "/odata/Communes?$apply=groupby((DepartementCode),aggregate(Population with sum as Population))&$orderby=DepartementCode");
        var pop23 = population["value"]!.AsArray().Single(r => r!["DepartementCode"]!.GetValue<string>() == "23")!;
        Assert.Equal(await server.ScalarAsync<long>("SELECT sum(population) FROM communes WHERE departement_code = '23'"),
            pop23["Population"]!.GetValue<long>());
        Assert.Contains(server.Sql.Drain(),
            c => c.Text.Contains("GROUP BY", StringComparison.Ordinal) && c.Text.Contains("sum(", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Unknown_addresses_are_404_and_bad_keys_400_in_the_OData_error_format()
    {
        foreach (var (url, status, code) in new[]
                 {
                     ("/odata/Nope", 404, "NotFound"),
                     ("/odata/Sites(999999999)", 404, "NotFound"),
                     ("/odata/Communes('00000')", 404, "NotFound"),
                     ("/odata/Sites('abc')", 400, "InvalidKey"),
                 })
        {
            using var response = await server.Client.GetAsync(url);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(status == (int)response.StatusCode, $"{url}: {(int)response.StatusCode} {text}");
            var error = JsonDocument.Parse(text).RootElement.GetProperty("error");
            Assert.Equal(code, error.GetProperty("code").GetString());
            Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        }
        Assert.Contains("InclusionMap.Site", Encoding.UTF8.GetString(await server.Client.GetByteArrayAsync("/odata/$metadata")));
    }

    [Fact]
    public async Task Count_segment_page_preference_mirrored_radius_and_error_codes()
    {
        var count = await server.Client.GetStringAsync("/odata/Sites/$count?$filter=DepartementCode eq '23'");
        Assert.Equal(await server.ScalarAsync<long>("SELECT count(*) FROM sites WHERE departement_code = '23'"),
            long.Parse(count, System.Globalization.CultureInfo.InvariantCulture));

        using var request = new HttpRequestMessage(HttpMethod.Get, "/odata/Sites?$select=Id");
        request.Headers.TryAddWithoutValidation("Prefer", "odata.maxpagesize=10");
        using var response = await server.Client.SendAsync(request);
        var page = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(10, page["value"]!.AsArray().Count);
        Assert.Contains("$skip=10", Uri.UnescapeDataString(page["@odata.nextLink"]!.GetValue<string>()));

        var le = await server.JsonAsync($"/odata/Sites?$filter=geo.distance(Location, {Gueret}) le 20000&$count=true&$top=0");
        var ge = await server.JsonAsync($"/odata/Sites?$filter=20000 ge geo.distance(Location, {Gueret})&$count=true&$top=0");
        var lt = await server.JsonAsync($"/odata/Sites?$filter=geo.distance(Location, {Gueret}) lt 20000&$count=true&$top=0");
        Assert.Equal(le["@odata.count"]!.GetValue<long>(), ge["@odata.count"]!.GetValue<long>());
        Assert.Equal(le["@odata.count"]!.GetValue<long>(), lt["@odata.count"]!.GetValue<long>());
        Assert.True(le["@odata.count"]!.GetValue<long>() > 0);

        var phrase = await server.JsonAsync("/odata/Sites?$search=\"france services\" AND NOT gueret&$count=true&$top=0");
        Assert.Equal(await server.ScalarAsync<long>(
            "SELECT count(*) FROM sites WHERE search_text LIKE '%france services%' AND search_text NOT LIKE '%gueret%'"),
            phrase["@odata.count"]!.GetValue<long>());

        foreach (var (url, code) in new[]
                 {
                     ("/odata/Sites?$top=1001", "QueryLimitExceeded"),
                     ($"/odata/Sites?$filter=geo.distance(Location, {Gueret}) le 2000000", "InvalidValue"),
                     ("/odata/Sites?$filter=matchesPattern(Nom, 'a')", "UnsupportedQuery"),
                     ("/odata/Sites?$filter=Nope eq 1", "InvalidQuery"),
                 })
            Assert.Equal(code, (await server.JsonAsync(url, 400))["error"]!["code"]!.GetValue<string>());

        var nested = await server.JsonAsync(
            "/odata/Sites?$top=1&$filter=CommuneCode eq '23096'&$select=Id&$expand=Commune($select=Code,Geometry)");
        Assert.Equal("MultiPolygon", nested["value"]![0]!["Commune"]!["Geometry"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Expanded_collections_are_bounded_by_their_top()
    {
        var body = await server.JsonAsync("/odata/Departements?$top=20&$select=Code&$expand=Communes($top=100;$select=Code)");
        foreach (var departement in body["value"]!.AsArray())
        {
            var code = departement!["Code"]!.GetValue<string>();
            var total = await server.ScalarAsync<long>("SELECT count(*) FROM communes WHERE departement_code = $1", code);
            var communes = departement["Communes"]!.AsArray();
            Assert.Equal(Math.Min(total, 100), communes.Count);
            var codes = communes.Select(c => c!["Code"]!.GetValue<string>()).ToArray();
            Assert.Equal(codes.Length, codes.Distinct().Count());
            Assert.Equal(codes.Length, await server.ScalarAsync<long>(
                "SELECT count(*) FROM communes WHERE departement_code = $1 AND code = ANY($2)", code, codes));
        }
    }

    [Fact]
    public async Task Departement_site_counts_are_columns_for_filter_and_orderby()
    {
        var body = await server.JsonAsync(
            "/odata/Departements?$filter=SiteCount gt 50&$orderby=SiteCount desc,Code&$select=Code,SiteCount&$top=1000");
        var rows = body["value"]!.AsArray()
            .Select(r => (Code: r!["Code"]!.GetValue<string>(), Count: r["SiteCount"]!.GetValue<long>())).ToList();
        var expected = await server.ScalarAsync<string[]>("""
            SELECT coalesce(array_agg(code || ':' || n ORDER BY n DESC, code), '{}') FROM (
              SELECT d.code, count(s.id) n FROM departements d LEFT JOIN sites s ON s.departement_code = d.code
              GROUP BY d.code HAVING count(s.id) > 50) x
            """);
        Assert.NotEmpty(expected);
        Assert.Equal(expected, rows.Select(r => $"{r.Code}:{r.Count}"));
    }

    [Fact]
    public async Task Illectronism_estimates_on_communes_departement_aggregates_and_apply_sums_match_sql()
    {
        var gueret = await server.JsonAsync(
            "/odata/Communes('23096')?$select=Code,IllectronismRate,IllectronismLow,IllectronismHigh,PeopleInNeed,IfnTotal");
        Assert.Equal(await server.ScalarAsync<double>("SELECT people_in_need FROM communes WHERE code = '23096'"),
            gueret["PeopleInNeed"]!.GetValue<double>(), 6);
        Assert.Equal(await server.ScalarAsync<double>("SELECT illectronism_rate FROM communes WHERE code = '23096'"),
            gueret["IllectronismRate"]!.GetValue<double>(), 9);

        var creuse = await server.JsonAsync("/odata/Departements('23')?$select=PeopleInNeed,Population15Plus,IllectronismRate");
        var need = await server.ScalarAsync<double>("SELECT sum(people_in_need) FROM communes WHERE departement_code = '23'");
        var adults = await server.ScalarAsync<double>("SELECT sum(population_15_plus) FROM communes WHERE departement_code = '23'");
        Assert.Equal(need, creuse["PeopleInNeed"]!.GetValue<double>(), 3);
        Assert.Equal(need / adults, creuse["IllectronismRate"]!.GetValue<double>(), 9);
        // Weighted by population: not the plain mean of the communes' rates.
        var plainMean = await server.ScalarAsync<double>("SELECT avg(illectronism_rate) FROM communes WHERE departement_code = '23'");
        Assert.NotEqual(Math.Round(plainMean, 9), Math.Round(need / adults, 9));

        // PostgreSQL puts NULLs first in a descending order (OData says last): filter them out, as a report would.
        var ranked = await server.JsonAsync(
            "/odata/Departements?$filter=PeopleInNeed ne null&$orderby=PeopleInNeed desc&$top=1&$select=Code");
        Assert.Equal(await server.ScalarAsync<string>(
            "SELECT departement_code FROM communes GROUP BY departement_code ORDER BY sum(people_in_need) DESC NULLS LAST LIMIT 1"),
            ranked["value"]![0]!["Code"]!.GetValue<string>());

        var applied = await server.JsonAsync(
            "/odata/Communes?$apply=groupby((DepartementCode),aggregate(PeopleInNeed with sum as PeopleInNeed))"
            + "&$filter=DepartementCode eq '23'");
        Assert.Equal(need, applied["value"]![0]!["PeopleInNeed"]!.GetValue<double>(), 3);
    }
}
