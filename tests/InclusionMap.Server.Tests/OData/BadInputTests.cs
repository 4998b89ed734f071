using System.Text.Json;

namespace InclusionMap.Server.Tests.OData;

/// <summary>
/// A corpus of malformed, unsupported, oversized and hostile queries. Each malformed one answers 400 with an OData
/// error body (code + message), none answers 500, injection text inside literals is only ever a value (a parameter),
/// and the database is byte-for-byte the same afterwards.
/// </summary>
public sealed class BadInputTests(ODataServerFixture server) : IClassFixture<ODataServerFixture>
{
    private const string P = "geography'SRID=4326;POINT(1.87 46.17)'";

    public static readonly TheoryData<string> Malformed =
    [
        // Unknown names and paths.
        "/odata/Sites?$filter=Unknown eq 1",
        "/odata/Sites?$select=Nope",
        "/odata/Sites?$orderby=Nope",
        "/odata/Sites?$expand=Nope",
        "/odata/Sites?$expand=Commune/Nope",
        "/odata/Communes?$select=Sites/Nope",
        // Bad literals and wrong types.
        "/odata/Sites?$filter=Id eq 'abc'",
        "/odata/Sites?$filter=Id eq 12.5.3",
        "/odata/Sites?$filter=Nom eq 12x",
        "/odata/Sites?$filter=DateMaj eq 2024-13-45",
        "/odata/Sites?$filter=Latitude gt 'north'",
        "/odata/Sites?$filter=Nom eq 'unterminated",
        "/odata/Sites?$filter=Nom eq O'Brien'",
        "/odata/Sites?$filter=Services eq 'x'",
        "/odata/Sites?$filter=Nom add 1 eq 2",
        "/odata/Sites?$filter=Id",
        "/odata/Sites?$filter=",
        "/odata/Sites?$filter=(((Id eq 1)",
        "/odata/Sites?$filter=Id eq 1)",
        "/odata/Sites?$filter=Id eq 1 and",
        "/odata/Sites?$filter=Id eq 1; DROP TABLE sites",
        "/odata/Sites?$filter=Id eq 1 -- comment",
        "/odata/Sites?$filter=Id eq 1/*x*/",
        "/odata/Sites?$filter=Services/any(s: s eq 1)",
        "/odata/Sites?$filter=Services/any(s: s/Nom eq 'x')",
        "/odata/Sites?$filter=contains(Id, 'x')",
        "/odata/Sites?$top=abc",
        "/odata/Sites?$top=-1",
        "/odata/Sites?$top=1001",
        "/odata/Sites?$top=99999999999999999999",
        "/odata/Sites?$skip=-5",
        "/odata/Sites?$skip=1000001",
        "/odata/Sites?$skip=x",
        "/odata/Sites?$count=maybe",
        "/odata/Sites?$orderby=Nom sideways",
        "/odata/Sites?$orderby=Id,Nom,CodePostal,DateMaj,Pivot,Adresse",
        "/odata/Sites?$orderby=Services",
        "/odata/Sites?$orderby=Location",
        "/odata/Sites?$skiptoken=abc",
        "/odata/Sites?$select=Id,,Nom",
        "/odata/Sites?$expand=Commune($expand=Departement($expand=Communes))",
        "/odata/Departements?$expand=Communes($expand=Sites($expand=Commune))",
        "/odata/Sites?$expand=Commune($levels=max)",
        "/odata/Departements?$expand=Communes",
        "/odata/Departements?$expand=Communes($top=101)",
        "/odata/Regions?$top=10&$expand=Departements($top=20;$expand=Communes($top=100))",
        "/odata/Sites?$search=",
        "/odata/Sites?$search=a",
        "/odata/Departements?$search=creuse",
        "/odata/Sites?$apply=groupby((Nope),aggregate($count as N))",
        "/odata/Sites?$apply=aggregate(Nom with sum as S)",
        "/odata/Sites?$apply=groupby(",
        "/odata/Sites?$compute=Id add 'x' as Y",
        // Refused functions and operators.
        "/odata/Sites?$filter=matchesPattern(Nom, '^a.*')",
        "/odata/Sites?$filter=cast(Id, Edm.String) eq '1'",
        "/odata/Sites?$filter=isof(InclusionMap.Site)",
        $"/odata/Sites?$filter=geo.length({P}) gt 0",
        $"/odata/Sites?$filter=geo.distance({P}, {P}) le 10",
        $"/odata/Sites?$filter=geo.distance(Location, {P}) le Latitude",
        $"/odata/Sites?$filter=geo.distance(Location, {P}) le 5000000",
        $"/odata/Sites?$filter=geo.distance(Location, geography'SRID=3857;POINT(1 46)') le 10",
        "/odata/Sites?$filter=geo.distance(Location, geography'SRID=4326;POINT(1 95)') le 10",
        "/odata/Sites?$filter=geo.distance(Location, geography'POINT(abc def)') le 10",
        "/odata/Sites?$filter=geo.intersects(Location, geography'SRID=4326;POLYGON((0 0, 1 1, 0 1, 1 0, 0 0))')",
        "/odata/Sites?$filter=geo.intersects(Location, geography'SRID=4326;LINESTRING(0 0, 1 1)')",
        $"/odata/Sites?$filter=Location eq {P}",
        $"/odata/Sites?$orderby=geo.distance(Latitude, {P})",
        // Too big: node count and lambda depth.
        "/odata/Sites?$filter=" + string.Join(" or ", Enumerable.Range(1, 120).Select(i => $"Id eq {i}")),
        "/odata/Regions?$filter=Departements/any(d: d/Communes/any(c: c/Sites/any(s: s/Services/any(x: x eq 'a'))))",
        // Single entity with collection options.
        "/odata/Sites(1)?$filter=Id eq 1",
        "/odata/Sites(1)?$top=1",
    ];

    public static readonly TheoryData<string> NotFound =
    [
        "/odata/Sites;DROP TABLE sites",
        "/odata/sites_raw",
        "/odata/Sites/Nope",
        "/odata/pg_catalog.pg_user",
    ];

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task Malformed_queries_answer_400_with_an_OData_error(string url)
    {
        using var response = await server.Client.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(400 == (int)response.StatusCode, $"{url} → {(int)response.StatusCode}: {text}");
        AssertErrorBody(text);
    }

    [Theory]
    [MemberData(nameof(NotFound))]
    public async Task Unknown_resources_answer_404_with_an_OData_error(string url)
    {
        using var response = await server.Client.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode is 404 or 400, $"{url} → {(int)response.StatusCode}: {text}");
        AssertErrorBody(text);
    }

    private static void AssertErrorBody(string text)
    {
        var error = JsonDocument.Parse(text).RootElement.GetProperty("error");
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("code").GetString()));
        var message = error.GetProperty("message").GetString();
        Assert.False(string.IsNullOrWhiteSpace(message));
        Assert.DoesNotContain("   at ", message); // no stack trace
        Assert.DoesNotContain("Npgsql", message);
    }

    /// <summary>Well-formed queries whose literals carry SQL: they run, match nothing, and change nothing.</summary>
    [Fact]
    public async Task Injection_text_in_literals_is_a_value_and_the_database_is_unchanged()
    {
        var before = await FingerprintAsync();
        server.Sql.Drain();
        string[] payloads =
        [
            "x'' OR ''1''=''1",
            "''; DROP TABLE sites; --",
            "x'' UNION SELECT usename FROM pg_user --",
            "%",
            "_",
            "\\",
            "x''); DELETE FROM communes; --",
            "$1",
            "\u0000",
            "é'' OR 1=1 --",
        ];
        foreach (var payload in payloads)
        {
            foreach (var url in new[]
                     {
                         $"/odata/Sites?$filter=Nom eq '{payload}'&$count=true",
                         $"/odata/Sites?$filter=contains(Nom, '{payload}')&$count=true",
                         $"/odata/Communes?$filter=startswith(Code, '{payload}')&$count=true",
                         $"/odata/Sites?$filter=Services/any(s: s eq '{payload}')&$count=true",
                         $"/odata/Sites?$search=\"{payload.Replace("''", "'", StringComparison.Ordinal)}\"&$count=true",
                     })
            {
                using var response = await server.Client.GetAsync(url);
                var text = await response.Content.ReadAsStringAsync();
                Assert.True((int)response.StatusCode is 200 or 400, $"{url} → {(int)response.StatusCode}: {text}");
                if (response.IsSuccessStatusCode)
                {
                    var count = JsonDocument.Parse(text).RootElement.GetProperty("@odata.count").GetInt64();
                    // '%' and '_' are ordinary characters for contains/startswith: only names that really hold them match.
                    Assert.True(count == 0 || payload is "%" or "_" or "\\" or "é'' OR 1=1 --"
                        || url.Contains("$search", StringComparison.Ordinal), $"{url}: {count}");
                }
                else AssertErrorBody(text);
            }
        }
        // The SQL text EF sent never contains the payloads: they travelled as parameters.
        var sent = server.Sql.Drain();
        Assert.NotEmpty(sent);
        Assert.DoesNotContain(sent, c => c.Text.Contains("DROP", StringComparison.OrdinalIgnoreCase)
            || c.Text.Contains("pg_user", StringComparison.Ordinal)
            || c.Text.Contains("DELETE", StringComparison.OrdinalIgnoreCase)
            || c.Text.Contains("UNION", StringComparison.OrdinalIgnoreCase));
        var percent = JsonDocument.Parse(await server.Client.GetStringAsync(
            "/odata/Sites?$filter=contains(Nom, '%')&$count=true&$top=0")).RootElement.GetProperty("@odata.count").GetInt64();
        Assert.Equal(await server.ScalarAsync<long>("SELECT count(*) FROM sites WHERE strpos(nom, '%') > 0"), percent);
        Assert.Equal(before, await FingerprintAsync());
    }

    private Task<string> FingerprintAsync() => server.ScalarAsync<string>("""
        SELECT md5(concat_ws('|',
          (SELECT md5(string_agg(id || nom || coalesce(array_to_string(services, ','), ''), ',' ORDER BY id)) FROM sites),
          (SELECT md5(string_agg(code || nom || coalesce(population, 0), ',' ORDER BY code)) FROM communes),
          (SELECT count(*) FROM departements), (SELECT count(*) FROM regions), (SELECT count(*) FROM site_sources),
          (SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables WHERE schemaname = 'public'),
          (SELECT string_agg(usename, ',' ORDER BY usename) FROM pg_user)))
        """);
}
