using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using InclusionMap.Core.Schema;
using InclusionMap.Testing;

namespace InclusionMap.Server.Tests;

/// <summary>
/// Both APIs ask the one query builder: the same 100 questions (random points, radii, boxes, territories, vocabulary
/// filters, page sizes) asked through GraphQL and through OData give the same sites in the same order. The OData
/// questions take both of its paths: the direct nearest page and the general query pipeline.
/// </summary>
public sealed class SearchParityTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static readonly string[] Services =
        ["Aide aux démarches administratives", "Maîtrise des outils numériques du quotidien", "Accès internet et matériel informatique"];

    /// <summary>A question as both APIs write it.</summary>
    private sealed record Question(string Description, string GraphQLArguments, string ODataQuery);

    private static string F(double value) => value.ToString("0.#####", CultureInfo.InvariantCulture);

    private async Task<List<Question>> QuestionsAsync()
    {
        var random = new Random(20261206);
        var centres = new List<(string Code, string Departement, double Lat, double Lon)>();
        await using (var command = server.DataSource.CreateCommand("""
            SELECT c.code, c.departement_code, ST_Y(c.centre), ST_X(c.centre) FROM communes c
             WHERE c.centre IS NOT NULL AND EXISTS (SELECT 1 FROM sites s WHERE s.commune_code = c.code) ORDER BY md5(c.code) LIMIT 400
            """))
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                centres.Add((reader.GetString(0), reader.GetString(1), reader.GetDouble(2), reader.GetDouble(3)));

        var questions = new List<Question>();
        for (var i = 0; i < 100; i++)
        {
            var (code, departement, lat, lon) = centres[random.Next(centres.Count)];
            var first = random.Next(4) == 0 ? 100 : random.Next(1, 40);
            var service = Services[random.Next(Services.Length)];
            var serviceEnum = VocabularyName(service);
            var point = $"geography'SRID=4326;POINT({F(lon)} {F(lat)})'";
            var distance = $"geo.distance(Location,{point})";
            switch (i % 5)
            {
                case 0: // nearest, with a radius or not: the direct page
                    var radius = random.Next(2) == 0 ? (double?)random.Next(1_000, 100_000) : null;
                    questions.Add(new($"nearest {first} of {code}" + (radius is { } r ? $" within {r} m" : ""),
                        $"near: {{latitude: {F(lat)}, longitude: {F(lon)}}}"
                            + (radius is { } r1 ? $", radiusMeters: {r1}" : "") + $", first: {first}",
                        $"$select=Id&$top={first}&$orderby={distance}" + (radius is { } r2 ? $"&$filter={distance} le {r2}" : "")));
                    break;
                case 1: // nearest offering a service within a radius: the general path
                    var within = random.Next(5_000, 100_000);
                    questions.Add(new($"nearest {first} of {code} offering {serviceEnum} within {within} m",
                        $"near: {{latitude: {F(lat)}, longitude: {F(lon)}}}, radiusMeters: {within}, "
                            + $"services: [{serviceEnum}], first: {first}",
                        $"$select=Id&$top={first}&$orderby={distance}"
                            + $"&$filter={distance} le {within} and Services/any(s: s eq '{service}')"));
                    break;
                case 2: // a box around the point, by id
                    var (dx, dy) = (random.NextDouble() * 0.3 + 0.01, random.NextDouble() * 0.2 + 0.01);
                    var (w, s, e, n) = (lon - dx, lat - dy, lon + dx, lat + dy);
                    questions.Add(new($"box around {code}",
                        $"bbox: {{west: {F(w)}, south: {F(s)}, east: {F(e)}, north: {F(n)}}}, first: {first}",
                        $"$select=Id&$top={first}&$orderby=Id&$filter=geo.intersects(Location,geography'SRID=4326;"
                            + $"POLYGON(({F(w)} {F(s)},{F(e)} {F(s)},{F(e)} {F(n)},{F(w)} {F(n)},{F(w)} {F(s)}))')"));
                    break;
                case 3: // a commune's or a département's sites, with a service or not
                    var withService = random.Next(2) == 0;
                    questions.Add(new($"département {departement}" + (withService ? $" offering {serviceEnum}" : ""),
                        $"departementCode: \"{departement}\"" + (withService ? $", services: [{serviceEnum}]" : "") + $", first: {first}",
                        $"$select=Id&$top={first}&$orderby=Id&$filter=DepartementCode eq '{departement}'"
                            + (withService ? $" and Services/any(s: s eq '{service}')" : "")));
                    break;
                default:
                    questions.Add(new($"commune {code}", $"communeCode: \"{code}\", first: {first}",
                        $"$select=Id&$top={first}&$orderby=Id&$filter=CommuneCode eq '{code}'"));
                    break;
            }
        }
        return questions;
    }

    private static string VocabularyName(string label) =>
        new InclusionMap.Server.GraphQL.VocabularyEnumType<Service>().Values.Single(v => v.Description == label).Name;

    [Fact]
    public async Task Both_apis_give_the_same_sites_in_the_same_order_to_the_same_100_questions()
    {
        var compared = 0;
        foreach (var question in await QuestionsAsync())
        {
            var graphql = await server.Client.PostAsJsonAsync("/graphql",
                new { query = $"{{ sites({question.GraphQLArguments}) {{ nodes {{ id }} }} }}" });
            var graphqlBody = JsonNode.Parse(await graphql.Content.ReadAsStringAsync())!;
            Assert.True(graphqlBody["errors"] is null, $"{question.Description}: {graphqlBody["errors"]}");
            var graphqlIds = graphqlBody["data"]!["sites"]!["nodes"]!.AsArray()
                .Select(n => long.Parse(n!["id"]!.GetValue<string>(), CultureInfo.InvariantCulture)).ToList();

            var odata = await server.Client.GetAsync("/odata/Sites?" + question.ODataQuery);
            var odataText = await odata.Content.ReadAsStringAsync();
            Assert.True(odata.IsSuccessStatusCode, $"{question.Description}: {odataText}");
            var odataIds = JsonNode.Parse(odataText)!["value"]!.AsArray().Select(r => r!["Id"]!.GetValue<long>()).ToList();

            Assert.True(graphqlIds.SequenceEqual(odataIds),
                $"{question.Description}: GraphQL [{string.Join(",", graphqlIds)}], OData [{string.Join(",", odataIds)}]");
            compared += graphqlIds.Count;
        }
        Assert.True(compared > 1_000, $"only {compared} sites compared");
    }
}
