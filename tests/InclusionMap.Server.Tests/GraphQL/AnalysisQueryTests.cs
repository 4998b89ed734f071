using System.Net;
using System.Text.Json;
using InclusionMap.Server.GraphQL;

namespace InclusionMap.Server.Tests.GraphQL;

/// <summary>
/// The analysis through the real server: illectronism and IFN on communes and départements, the coverage query, the downloads.
/// </summary>
public sealed class AnalysisQueryTests(GraphQLServerFixture server) : IClassFixture<GraphQLServerFixture>
{
    [Fact]
    public async Task A_commune_carries_our_estimate_and_the_ifn_side_by_side()
    {
        var data = await server.DataAsync("""
            { commune(code: "23096") { illectronism { rate low high people population15Plus territoryClass imputed }
                                       ifn { total older65 attribution } }
              departement(code: "23") { illectronism { rate peopleInNeed population15Plus } } }
            """);
        var estimate = data["commune"]!["illectronism"]!;
        Assert.Equal(await server.ScalarAsync<double>("SELECT illectronism_rate FROM communes WHERE code = '23096'"),
            estimate["rate"]!.GetValue<double>(), 9);
        Assert.True(estimate["low"]!.GetValue<double>() <= estimate["rate"]!.GetValue<double>());
        Assert.Equal("small-town", estimate["territoryClass"]!.GetValue<string>());
        Assert.Equal(await server.ScalarAsync<double>("SELECT ifn_total FROM communes WHERE code = '23096'"),
            data["commune"]!["ifn"]!["total"]!.GetValue<double>(), 9);
        Assert.Contains("La Mednum", data["commune"]!["ifn"]!["attribution"]!.GetValue<string>());
        var departement = data["departement"]!["illectronism"]!;
        Assert.Equal(await server.ScalarAsync<double>("SELECT sum(people_in_need) FROM communes WHERE departement_code = '23'"),
            departement["peopleInNeed"]!.GetValue<double>(), 3);
        Assert.Equal(departement["peopleInNeed"]!.GetValue<double>() / departement["population15Plus"]!.GetValue<double>(),
            departement["rate"]!.GetValue<double>(), 9);
    }

    [Theory]
    [InlineData("23")]
    [InlineData("2A")]
    public async Task A_departement_s_figures_sit_beside_its_region_s_and_france_s(string code)
    {
        const string fields = "code name population population15Plus peopleInNeed illectronismRate sites sitesPer10000InNeed ifnMean";
        var data = await server.DataAsync(
            $"{{ departement(code: \"{code}\") {{ regionCode figures {{ {fields} }} regionFigures {{ {fields} }} }} "
            + $"franceFigures {{ {fields} }} }}");
        var region = data["departement"]!["regionCode"]!.GetValue<string>();
        // Independent sums straight over the communes and places, by the communes' own département and région columns.
        async Task CheckAsync(System.Text.Json.Nodes.JsonNode figures, string communes, string sites, string expectedCode)
        {
            Assert.Equal(expectedCode, figures["code"]!.GetValue<string>());
            Assert.Equal(await server.ScalarAsync<double>($"SELECT coalesce(sum(population), 0)::float8 FROM communes WHERE {communes}"),
                figures["population"]!.GetValue<double>(), 3);
            var need = await server.ScalarAsync<double>($"SELECT sum(people_in_need) FROM communes WHERE {communes}");
            var adults = await server.ScalarAsync<double>($"SELECT sum(population_15_plus) FROM communes WHERE {communes}");
            Assert.Equal(need, figures["peopleInNeed"]!.GetValue<double>(), 3);
            Assert.Equal(need / adults, figures["illectronismRate"]!.GetValue<double>(), 9);
            var places = await server.ScalarAsync<long>($"SELECT count(*) FROM sites WHERE {sites}");
            Assert.Equal(places, figures["sites"]!.GetValue<long>());
            Assert.Equal(places / need * 10_000, figures["sitesPer10000InNeed"]!.GetValue<double>(), 6);
            Assert.Equal(await server.ScalarAsync<double>(
                    $"SELECT sum(ifn_total * population) / sum(population) FROM communes WHERE ifn_total IS NOT NULL AND {communes}"),
                figures["ifnMean"]!.GetValue<double>(), 6);
        }
        await CheckAsync(data["departement"]!["figures"]!, $"departement_code = '{code}'", $"departement_code = '{code}'", code);
        await CheckAsync(data["departement"]!["regionFigures"]!, $"region_code = '{region}'",
            $"departement_code IN (SELECT code FROM departements WHERE region_code = '{region}')", region);
        await CheckAsync(data["franceFigures"]!, "TRUE", "departement_code IS NOT NULL", "FR");
        Assert.True(data["departement"]!["regionFigures"]!["population"]!.GetValue<double>()
            > data["departement"]!["figures"]!["population"]!.GetValue<double>());
    }

    [Fact]
    public async Task The_coverage_query_answers_the_coordinator_questions()
    {
        var data = await server.DataAsync("""
            { coverage(departementCode: "23", services: [AIDE_AUX_DEMARCHES_ADMINISTRATIVES], maxDistanceMeters: 10000, suggest: 2) {
                maxDistanceMeters defaultWeeklyHours
                summary { communes peopleInNeed peopleInNeedBeyond shareBeyond sites medianDistanceMeters coveredBefore coveredAfter }
                gaps(first: 5) { code name peopleInNeed nearestDistanceMeters beyond accessibility }
                suggestions { rank communeCode peopleNewlyCovered latitude longitude coveredAfter location } } }
            """);
        var coverage = data["coverage"]!;
        Assert.Equal(255, coverage["summary"]!["communes"]!.GetValue<int>());
        var gaps = coverage["gaps"]!.AsArray();
        Assert.Equal(5, gaps.Count);
        Assert.All(gaps, g => Assert.True(g!["nearestDistanceMeters"]!.GetValue<double>() > 10_000));
        Assert.Equal(gaps.OrderByDescending(g => g!["peopleInNeed"]!.GetValue<double>()).Select(g => g!["code"]!.GetValue<string>()),
            gaps.Select(g => g!["code"]!.GetValue<string>()));
        // Independent: the nearest site offering the service, by brute force, for the first gap.
        var first = gaps[0]!["code"]!.GetValue<string>();
        var nearest = await server.ScalarAsync<double>("""
            SELECT min(ST_Distance(s.location, c.centre::geography, false)) FROM sites s, communes c
             WHERE c.code = $1 AND 'Aide aux démarches administratives' = ANY(s.services)
            """, first);
        Assert.Equal(nearest, gaps[0]!["nearestDistanceMeters"]!.GetValue<double>(), 3);
        var suggestions = coverage["suggestions"]!.AsArray();
        Assert.Equal(2, suggestions.Count);
        Assert.Equal("Point", suggestions[0]!["location"]!["type"]!.GetValue<string>());
        Assert.Equal(suggestions[0]!["location"]!["coordinates"]![0]!.GetValue<double>(),
            suggestions[0]!["longitude"]!.GetValue<double>(), 9);
        Assert.True(suggestions[0]!["peopleNewlyCovered"]!.GetValue<double>()
            >= suggestions[1]!["peopleNewlyCovered"]!.GetValue<double>());
        Assert.Equal(coverage["summary"]!["coveredAfter"]!.GetValue<double>(), suggestions[1]!["coveredAfter"]!.GetValue<double>(), 6);
    }

    [Theory]
    [InlineData("{ coverage(departementCode: \"23\", maxDistanceMeters: 500000) { summary { communes } } }", "BAD_USER_INPUT")]
    [InlineData("{ coverage(departementCode: \"23\", suggest: 500) { summary { communes } } }", "BAD_USER_INPUT")]
    [InlineData("{ coverage { summary { communes } } }", "BAD_USER_INPUT")]
    [InlineData("{ coverage(departementCode: \"23\") { gaps(first: -1) { code } } }", "PAGE_SIZE_EXCEEDED")]
    public async Task Bad_coverage_requests_get_a_coded_error_not_a_500(string query, string code) =>
        Assert.Equal(code, await server.ErrorCodeAsync(query));

    [Fact]
    public async Task A_whole_departement_page_is_affordable_but_many_analyses_in_one_query_are_not()
    {
        // The coordinators' page asks for every commune of the analysis at once.
        var data = await server.DataAsync("{ coverage(departementCode: \"62\") { communes(first: 1000) { code } } }");
        Assert.Equal(await server.ScalarAsync<long>("SELECT count(*) FROM communes WHERE departement_code = '62'"),
            data["coverage"]!["communes"]!.AsArray().Count);
        var many = string.Join(' ',
            Enumerable.Range(0, 6).Select(i => $"a{i}: coverage(departementCode: \"2{i}\") {{ summary {{ communes }} }}"));
        Assert.Equal(OneAnalysisPerRequestRule.Code, await server.ErrorCodeAsync("{ " + many + " }", status: 400));
    }

    private const string Creuse = """coverage(departementCode: "23") { summary { communes } }""";
    private const string Correze = """coverage(departementCode: "19") { summary { communes } }""";

    [Theory]
    [InlineData("{ a: " + Creuse + " b: " + Correze + " }")]
    [InlineData("{ " + Creuse + " ...More } fragment More on Query { other: " + Correze + " }")]
    [InlineData("""{ a: """ + Creuse + """ ... on Query { b: coverage(departementCode: "23") { maxDistanceMeters } } }""")]
    public async Task A_second_analysis_in_one_request_is_refused_before_anything_runs(string query)
    {
        server.Sql.Drain();
        Assert.Equal(OneAnalysisPerRequestRule.Code, await server.ErrorCodeAsync(query, status: 400));
        Assert.Empty(server.Sql.Drain());
    }

    [Fact]
    public async Task The_same_analysis_named_twice_is_one_analysis()
    {
        var data = await server.DataAsync("""
            { coverage(departementCode: "23", suggest: 1) { summary { communes } } ...Distance }
            fragment Distance on Query { coverage(departementCode: "23", suggest: 1) { maxDistanceMeters } }
            """);
        Assert.Equal(10_000, data["coverage"]!["maxDistanceMeters"]!.GetValue<double>());
        Assert.True(data["coverage"]!["summary"]!["communes"]!.GetValue<int>() > 200);
    }

    [Fact]
    public async Task National_programmes_count_as_help_in_the_query_and_the_downloads_alike()
    {
        const string franceServices = "'France Services' = ANY(s.dispositif_programmes_nationaux)";
        var data = await server.DataAsync("""
            { coverage(departementCode: "16", programmes: [FRANCE_SERVICES]) { summary { sites peopleInNeedBeyond } } }
            """);
        Assert.Equal(await server.ScalarAsync<long>($"SELECT count(*) FROM sites s WHERE s.departement_code = '16' AND {franceServices}"),
            data["coverage"]!["summary"]!["sites"]!.GetValue<long>());
        // Brute force: communes whose nearest France Services is beyond 10 km (more than with every place counted).
        var beyond = await server.ScalarAsync<long>($"""
            SELECT count(*) FROM communes c WHERE c.departement_code = '16'
               AND (SELECT min(ST_Distance(s.location, c.centre::geography, false)) FROM sites s
                     WHERE s.location IS NOT NULL AND {franceServices}) > 10000
            """);
        var csv = await server.Client.GetStringAsync("/coverage/16.csv?programmes=FRANCE_SERVICES");
        Assert.Equal(beyond, csv.Split('\n').Count(l => l.Contains(",oui,", StringComparison.Ordinal)));
        var everyPlace = await server.Client.GetStringAsync("/coverage/16.csv");
        Assert.True(beyond > everyPlace.Split('\n').Count(l => l.Contains(",oui,", StringComparison.Ordinal)));
        using var geojson = JsonDocument.Parse(await server.Client.GetStringAsync("/coverage/16.geojson?programmes=France%20Services"));
        Assert.Equal(beyond, geojson.RootElement.GetProperty("features").EnumerateArray()
            .Count(f => f.GetProperty("properties").GetProperty("au_dela_du_seuil").GetBoolean()));
        var bad = await server.Client.GetAsync("/coverage/16.csv?programmes=Club%20de%20bridge");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("Club de bridge", await bad.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_downloads_are_a_spreadsheet_and_a_geojson_of_every_commune()
    {
        var csv = await server.Client.GetStringAsync("/coverage/23.csv?maxDistance=12000");
        var lines = csv.TrimStart('\uFEFF').Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("code_insee,commune,population,personnes_en_difficulte", lines[0]);
        Assert.Equal(256, lines.Length);
        var beyond = await server.ScalarAsync<long>("""
            SELECT count(*) FROM communes c WHERE c.departement_code = '23'
               AND (SELECT min(ST_Distance(s.location, c.centre::geography, false)) FROM sites s WHERE s.location IS NOT NULL) > 12000
            """);
        Assert.Equal(beyond, lines.Count(l => l.Contains(",oui,", StringComparison.Ordinal)));

        using var geojson = JsonDocument.Parse(await server.Client.GetStringAsync("/coverage/23.geojson"));
        var features = geojson.RootElement.GetProperty("features");
        Assert.Equal(255, features.GetArrayLength());
        var lon = features[0].GetProperty("geometry").GetProperty("coordinates")[0].GetDouble();
        Assert.InRange(lon, 1.3, 2.7); // Creuse, longitude first

        var bad = await server.Client.GetAsync("/coverage/23.csv?maxDistance=abc");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("max-distance", await bad.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, (await server.Client.GetAsync("/coverage/ZZ.geojson")).StatusCode);
        // The national run (a heavy analysis) is for the command line, not for an anonymous download.
        Assert.Equal(HttpStatusCode.BadRequest, (await server.Client.GetAsync("/coverage/all.csv")).StatusCode);
    }

    [Fact]
    public async Task The_printable_map_is_an_a4_png_with_its_legend_and_site_marks()
    {
        var response = await server.Client.GetAsync("/maps/coverage/23.png?suggest=2");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType!.MediaType);
        using var bitmap = SkiaSharp.SKBitmap.Decode(await response.Content.ReadAsByteArrayAsync());
        Assert.NotNull(bitmap);
        Assert.Equal((Coverage.CoverageMap.Width, Coverage.CoverageMap.Height), (bitmap.Width, bitmap.Height));
        var pixels = bitmap.Pixels;
        int Count(SkiaSharp.SKColor color, int fromY = 0, int toY = int.MaxValue)
        {
            var n = 0;
            for (var i = 0; i < pixels.Length; i++)
            {
                var y = i / bitmap.Width;
                if (y >= fromY && y < toY && pixels[i] == color) n++;
            }
            return n;
        }
        // The legend (below the map area) shows every class swatch; site marks and suggestion rings are drawn.
        var legendTop = Coverage.CoverageMap.Height - 430;
        Assert.All(Coverage.CoverageMap.Classes, c => Assert.True(Count(c.Color, legendTop) >= 40 * 30 - 200, $"legend swatch {c.Color}"));
        Assert.True(Count(Coverage.CoverageMap.SiteColor, 0, legendTop) > 20, "site marks on the map");
        Assert.True(Count(Coverage.CoverageMap.SuggestionColor, 0, legendTop) > 50, "suggested sites on the map");

        Assert.Equal(HttpStatusCode.BadRequest, (await server.Client.GetAsync("/maps/coverage/23.png?maxDistance=-5")).StatusCode);
    }
}
