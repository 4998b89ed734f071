using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using InclusionMap.Data.Analysis;
using InclusionMap.Server.Tiles;
using Microsoft.Extensions.DependencyInjection;

namespace InclusionMap.Server.Tests.Limits;

/// <summary>
/// One coverage question, computed once per catalogue version and reused by GraphQL, the CSV and GeoJSON downloads and
/// the PNG map, whatever the order of its lists. Counted by the SQL the server sends: the analysis's first statement
/// (<see cref="CoverageAnalysis.StudiedCommunesSql"/>) marks a computation.
/// </summary>
public sealed class CoverageCacheTests(CoverageCacheServer server) : IClassFixture<CoverageCacheServer>
{
    private const string Question = """
        query($services: [Service!]) {
          coverage(departementCode: "23", services: $services, maxDistanceMeters: 12000, suggest: 2) {
            summary { communes sites peopleInNeedBeyond } gaps(first: 3) { code } } }
        """;
    private const string Downloads = "?maxDistance=12000&suggest=2&services="
        + "Ma%C3%AEtrise%20des%20outils%20num%C3%A9riques%20du%20quotidien,Aide%20aux%20d%C3%A9marches%20administratives";
    private const string Help = "AIDE_AUX_DEMARCHES_ADMINISTRATIVES", Tools = "MAITRISE_DES_OUTILS_NUMERIQUES_DU_QUOTIDIEN";

    private async Task<(JsonNode Coverage, List<string> Sql)> AskAsync(params string[] services)
    {
        server.Sql.Drain();
        var response = await server.Client.PostAsJsonAsync("/graphql", new { query = Question, variables = new { services } });
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(body["errors"] is null, body.ToJsonString());
        return (body["data"]!["coverage"]!, server.Sql.Drain());
    }

    private async Task<(byte[] Body, List<string> Sql)> DownloadAsync(string path)
    {
        server.Sql.Drain();
        var response = await server.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadAsByteArrayAsync(), server.Sql.Drain());
    }

    private static int Analyses(List<string> sql) => sql.Count(s => s == CoverageAnalysis.StudiedCommunesSql);

    [Fact]
    public async Task The_same_question_is_computed_once_for_every_entry_point_until_the_catalogue_changes()
    {
        var (first, sql) = await AskAsync(Help, Tools);
        Assert.Equal(1, Analyses(sql));
        var communes = first["summary"]!["communes"]!.GetValue<int>();

        // The same question, its services in another order and repeated: no SQL at all.
        var (again, sqlAgain) = await AskAsync(Tools, Help, Help);
        Assert.Empty(sqlAgain);
        Assert.Equal(first.ToJsonString(), again.ToJsonString());

        // The downloads of the same question, services by their labels in yet another order: no SQL either.
        var (csv, csvSql) = await DownloadAsync("/coverage/23.csv" + Downloads);
        Assert.Empty(csvSql);
        Assert.Equal(communes + 1, System.Text.Encoding.UTF8.GetString(csv).Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
        var (geojson, geojsonSql) = await DownloadAsync("/coverage/23.geojson" + Downloads);
        Assert.Empty(geojsonSql);
        Assert.Equal(communes, JsonNode.Parse(geojson)!["features"]!.AsArray().Count);

        // The map reads the communes' polygons and the title, not the analysis; drawn once, it is then served as it is.
        var (png, pngSql) = await DownloadAsync("/maps/coverage/23.png" + Downloads);
        Assert.Equal(0, Analyses(pngSql));
        Assert.Contains(pngSql, s => s.Contains("ST_SimplifyPreserveTopology", StringComparison.Ordinal));
        var (pngAgain, pngAgainSql) = await DownloadAsync("/maps/coverage/23.png" + Downloads);
        Assert.Empty(pngAgainSql);
        Assert.Equal(png, pngAgain);

        // Another question is another computation.
        var (_, otherSql) = await DownloadAsync("/coverage/23.csv?maxDistance=15000&suggest=2");
        Assert.Equal(1, Analyses(otherSql));

        // The catalogue changes: the largest gap gains 1,000 people in need. Until the catalogue's version moves, the answer
        // stays the one computed; once it moves (a new import run), the question is computed again and sees the change.
        var gap = first["gaps"]![0]!["code"]!.GetValue<string>();
        await server.ScalarAsync<string>("UPDATE communes SET people_in_need = people_in_need + 1000 WHERE code = $1 RETURNING code", gap);
        var (stale, staleSql) = await AskAsync(Help, Tools);
        Assert.Empty(staleSql);
        Assert.Equal(first.ToJsonString(), stale.ToJsonString());

        var version = server.App.Services.GetRequiredService<CatalogueVersion>();
        var before = version.Current;
        await server.ScalarAsync<long>("""
            INSERT INTO import_runs (started_at, finished_at, kind, read, inserted, updated, merged, rejected, report)
            VALUES (now(), now(), 'test', 0, 0, 0, 0, 0, '{}') RETURNING id
            """);
        await version.RefreshAsync();
        Assert.True(version.Current > before);
        var (fresh, freshSql) = await AskAsync(Help, Tools);
        Assert.Equal(1, Analyses(freshSql));
        static double Beyond(JsonNode coverage) => coverage["summary"]!["peopleInNeedBeyond"]!.GetValue<double>();
        Assert.Equal(Beyond(first) + 1000, Beyond(fresh), 6);
        var (_, pngFreshSql) = await DownloadAsync("/maps/coverage/23.png" + Downloads);
        Assert.Contains(pngFreshSql, s => s.Contains("ST_SimplifyPreserveTopology", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_question_that_fails_is_refused_each_time_and_never_kept()
    {
        for (var i = 0; i < 2; i++)
        {
            server.Sql.Drain();
            var response = await server.Client.GetAsync("/coverage/ZZ.csv");
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal(1, Analyses(server.Sql.Drain()));
        }
    }
}
