using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using InclusionMap.Testing;

namespace InclusionMap.Server.Tests.Pages;

/// <summary>A page for every place, over real HTTP against the real catalogue: the sitemap, the addresses, the errors, the encoding.</summary>
public sealed partial class PlacePagesTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static readonly XNamespace Sitemap = "http://www.sitemaps.org/schemas/sitemap/0.9";

    private async Task<List<long>> IdsAsync(string sql = "SELECT id FROM sites ORDER BY id")
    {
        var ids = new List<long>();
        await using var command = server.DataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) ids.Add(reader.GetInt64(0));
        return ids;
    }

    [GeneratedRegex(@"/lieux/(?<id>\d+)-[a-z0-9-]+$")]
    private static partial Regex PlaceAddress();

    [Fact]
    public async Task Every_place_of_the_catalogue_has_a_page_that_answers_200_and_the_sitemap_lists_them_all()
    {
        var response = await server.Client.GetAsync("/sitemap.xml");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/xml", response.Content.Headers.ContentType!.MediaType);
        var locations = XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!.Elements(Sitemap + "url")
            .Select(u => u.Element(Sitemap + "loc")!.Value).ToList();
        var places = locations.Where(l => PlaceAddress().IsMatch(l)).ToList();
        var ids = await IdsAsync();
        Assert.Equal(5_095, ids.Count); // the real catalogue
        Assert.Equal(ids, places.Select(l => long.Parse(PlaceAddress().Match(l).Groups["id"].Value)));
        Assert.All(locations, l => Assert.StartsWith(server.BaseAddress.ToString().TrimEnd('/'), l));

        // Every page, as a crawler would fetch it: in parallel, no browser.
        var failures = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(places, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (location, ct) =>
        {
            var id = PlaceAddress().Match(location).Groups["id"].Value;
            using var page = await server.Client.GetAsync(new Uri(location).PathAndQuery, ct);
            var html = await page.Content.ReadAsStringAsync(ct);
            if (page.StatusCode != HttpStatusCode.OK || !html.Contains($"data-id=\"{id}\"", StringComparison.Ordinal)
                || !html.Contains("<h1 id=\"nom\">", StringComparison.Ordinal))
                failures.Add($"{location}: {(int)page.StatusCode}");
        });
        Assert.Empty(failures);
    }

    [Fact]
    public async Task An_address_without_its_slug_or_with_another_one_redirects_permanently_to_the_page()
    {
        var id = (await IdsAsync("SELECT id FROM sites WHERE nom = 'France services Boussac'")).Single();
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.BaseAddress };
        foreach (var path in new[] { $"/lieux/{id}", $"/lieux/{id}-ancien-nom", $"/lieux/{id}-France-Services-Boussac" })
        {
            var response = await client.GetAsync(path + "?source=courriel");
            Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
            Assert.Equal($"/lieux/{id}-france-services-boussac?source=courriel", response.Headers.Location!.OriginalString);
        }
        var page = await client.GetAsync($"/lieux/{id}-france-services-boussac");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains($"<link rel=\"canonical\" href=\"{server.BaseAddress.ToString().TrimEnd('/')}/lieux/{id}-france-services-boussac\"",
            await page.Content.ReadAsStringAsync());
        var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/lieux/{id}-france-services-boussac"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
    }

    [Theory]
    [InlineData("/lieux/999999999")]
    [InlineData("/lieux/0")]
    [InlineData("/lieux/abc")]
    [InlineData("/lieux/-12")]
    [InlineData("/lieux/12345678901234567890123")]
    [InlineData("/lieux/%3Cscript%3E")]
    public async Task An_unknown_or_malformed_place_answers_404_with_the_way_back_to_the_search(string path)
    {
        var response = await server.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<h1>Ce lieu est introuvable</h1>", html);
        Assert.Contains("<a href=\"/\">Rechercher un lieu", html);
        Assert.DoesNotContain("<script>", html);
    }

    [Fact]
    public async Task The_robots_file_points_to_the_sitemap()
    {
        var robots = await server.Client.GetStringAsync("/robots.txt");
        Assert.Contains($"Sitemap: {server.BaseAddress.ToString().TrimEnd('/')}/sitemap.xml", robots);
    }

    [GeneratedRegex("""href="(?<href>[^"]*)"|src="(?<href>[^"]*)"|action="(?<href>[^"]*)""")]
    private static partial Regex Addresses();

    [GeneratedRegex("""<script type="application/ld&#x2B;json">(?<json>.*?)</script>""", RegexOptions.Singleline)]
    private static partial Regex StructuredData();

    [Fact]
    public async Task Text_from_the_data_is_encoded_and_only_safe_addresses_become_links()
    {
        const string name = "<script>alert(1)</script> « Lieu » & \"piégé\" </script>";
        // Straight into the database, bypassing the import that would refuse these values.
        var columns = await server.ScalarAsync<string>("""
            SELECT string_agg(quote_ident(column_name), ', ') FROM information_schema.columns
             WHERE table_name = 'sites' AND is_generated = 'NEVER' AND is_identity = 'NO' AND column_name <> 'id'
            """);
        var id = await server.ScalarAsync<long>($"INSERT INTO sites ({columns}) SELECT {columns} FROM sites ORDER BY id LIMIT 1 RETURNING id");
        try
        {
            await server.ScalarAsync<long>("""
                UPDATE sites SET nom = $2, adresse = '<img src=x onerror=alert(2)>', presentation_resume = '<b>gras</b>',
                       site_web = ARRAY['javascript:alert(3)', 'https://ok.example.fr/'], prise_rdv = 'javascript:alert(4)',
                       fiche_acces_libre = 'data:text/html,<script>alert(5)</script>', courriels = ARRAY['javascript:alert(6)//@x.fr', 'contact@ok.example.fr'],
                       telephone = 'javascript:alert(7)'
                 WHERE id = $1 RETURNING id
                """, id, name);
            var response = await server.Client.GetAsync($"/lieux/{id}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var html = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain("<script>alert", html);
            Assert.DoesNotContain("<img src=x", html);
            Assert.DoesNotContain("<b>gras</b>", html);
            Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
            var hrefs = Addresses().Matches(html).Select(m => m.Groups["href"].Value).ToList();
            Assert.Contains("https://ok.example.fr/", hrefs);
            Assert.Contains("mailto:contact@ok.example.fr", hrefs);
            Assert.All(hrefs, h => Assert.Matches(@"^(https?://|mailto:contact@ok\.example\.fr$|/|data:,$)", h));
            // The structured data: one data block, valid JSON, no '<' that could close it, the name intact once decoded.
            var block = Assert.Single(StructuredData().Matches(html));
            var json = block.Groups["json"].Value;
            Assert.DoesNotContain("<", json);
            using var data = JsonDocument.Parse(json);
            Assert.Equal(name, data.RootElement.GetProperty("name").GetString());
            Assert.Equal(["https://ok.example.fr/"], data.RootElement.GetProperty("sameAs").EnumerateArray().Select(e => e.GetString()));
            Assert.False(data.RootElement.TryGetProperty("telephone", out _));
        }
        finally
        {
            await server.ScalarAsync<long>("DELETE FROM sites WHERE id = $1 RETURNING id", id);
        }
    }
}
