using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace InclusionMap.Server.Tests.Pages;

/// <summary>
/// A page for every place, over real HTTP against the real catalogue, read by an HTML5 parser as a browser (with
/// JavaScript off) reads it: the fields, the hours of a known week, the structured data, the sitemap, the addresses,
/// the errors, the encoding of hostile data.
/// </summary>
public sealed partial class PlacePagesTests(PlacePagesServer server) : IClassFixture<PlacePagesServer>
{
    private static readonly XNamespace Sitemap = "http://www.sitemaps.org/schemas/sitemap/0.9";

    private string Origin => server.BaseAddress.ToString().TrimEnd('/');

    private async Task<List<long>> IdsAsync(string sql = "SELECT id FROM sites WHERE retired_at IS NULL ORDER BY id")
    {
        var ids = new List<long>();
        await using var command = server.DataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) ids.Add(reader.GetInt64(0));
        return ids;
    }

    /// <summary>A column (or an expression of them) of one site, as the database has it.</summary>
    private Task<T> FieldAsync<T>(string column, long id) => server.ScalarAsync<T>($"SELECT {column} FROM sites WHERE id = $1", id);

    /// <summary>A copy of the first site, inserted straight into the database (bypassing the import); its id.</summary>
    private async Task<long> CopyAsync()
    {
        var columns = await server.ScalarAsync<string>("""
            SELECT string_agg(quote_ident(column_name), ', ') FROM information_schema.columns
             WHERE table_name = 'sites' AND is_generated = 'NEVER' AND is_identity = 'NO' AND column_name <> 'id'
            """);
        return await server.ScalarAsync<long>(
            $"INSERT INTO sites ({columns}) SELECT {columns} FROM sites ORDER BY id LIMIT 1 RETURNING id");
    }

    private async Task<IDocument> PageAsync(long id)
    {
        var response = await server.Client.GetAsync($"/lieux/{id}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await new HtmlParser().ParseDocumentAsync(await response.Content.ReadAsStringAsync());
    }

    private static string Text(IElement? element) => Regex.Replace(element?.TextContent ?? "", @"\s+", " ").Trim();

    [GeneratedRegex(@"/lieux/(?<id>\d+)-[a-z0-9-]+$")]
    private static partial Regex PlaceAddress();

    [Fact]
    public async Task Every_place_of_the_catalogue_has_a_page_that_answers_200_and_the_sitemap_lists_them_all()
    {
        // The catalogue is larger than one sitemap file here: /sitemap.xml is the index of the files.
        var index = await server.Client.GetAsync("/sitemap.xml");
        Assert.Equal(HttpStatusCode.OK, index.StatusCode);
        Assert.Equal("application/xml", index.Content.Headers.ContentType!.MediaType);
        var root = XDocument.Parse(await index.Content.ReadAsStringAsync()).Root!;
        Assert.Equal(Sitemap + "sitemapindex", root.Name);
        var ids = await IdsAsync();
        Assert.Equal(5_095, ids.Count); // the real catalogue
        var files = root.Elements(Sitemap + "sitemap").Select(s => s.Element(Sitemap + "loc")!.Value).ToList();
        Assert.Equal(Enumerable.Range(1, 3).Select(n => $"{Origin}/sitemap-{n}.xml"), files);
        var urls = new List<XElement>();
        foreach (var file in files)
        {
            var part = XDocument.Parse(await server.Client.GetStringAsync(new Uri(file).PathAndQuery)).Root!
                .Elements(Sitemap + "url").ToList();
            Assert.InRange(part.Count, 1, PlacePagesServer.SitemapSize);
            urls.AddRange(part);
        }
        foreach (var missing in new[] { "/sitemap-0.xml", "/sitemap-4.xml", "/sitemap-99999999999.xml" })
            Assert.Equal(HttpStatusCode.NotFound, (await server.Client.GetAsync(missing)).StatusCode);

        var locations = urls.Select(u => u.Element(Sitemap + "loc")!.Value).ToList();
        var places = locations.Where(l => PlaceAddress().IsMatch(l)).ToList();
        Assert.Equal(locations, places);
        Assert.Equal(ids, places.Select(l => long.Parse(PlaceAddress().Match(l).Groups["id"].Value)));
        Assert.All(locations, l => Assert.StartsWith(Origin, l));
        // The date the catalogue last changed a place, as the database has it.
        var updated = await FieldAsync<string>("to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')", ids[0]);
        Assert.Equal(updated, urls[0].Element(Sitemap + "lastmod")!.Value);

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

    /// <summary>A place open Monday to Friday 9–12 and 14–17, with a phone number and services, in metropolitan France.</summary>
    private Task<long> WeekdayPlaceAsync() => server.ScalarAsync<long>("""
        SELECT id FROM sites WHERE horaires = 'Mo-Fr 09:00-12:00,14:00-17:00' AND telephone IS NOT NULL AND cardinality(services) > 1
           AND departement_code NOT LIKE '97%' ORDER BY id LIMIT 1
        """);

    [Fact]
    public async Task The_page_shows_the_place_as_the_catalogue_has_it_with_the_hours_of_this_week()
    {
        var id = await WeekdayPlaceAsync();
        var nom = await FieldAsync<string>("nom", id);
        var adresse = await FieldAsync<string>("adresse", id);
        var codePostal = await FieldAsync<string>("code_postal", id);
        var telephone = await FieldAsync<string>("telephone", id);
        var services = await FieldAsync<string[]>("services", id);
        var sources = await server.ScalarAsync<long>("SELECT count(*) FROM site_sources WHERE site_id = $1", id);
        var dateMaj = await FieldAsync<DateTime>("date_maj::timestamp", id);
        var page = await PageAsync(id);

        Assert.Equal(nom, Text(page.QuerySelector("h1")));
        Assert.Contains(nom, page.Title);
        var lines = page.QuerySelector(".adresse")!.ChildNodes.OfType<IText>().Select(t => t.Data.Trim()).Where(t => t.Length > 0).ToList();
        Assert.Equal(adresse, lines[0]);
        Assert.StartsWith(codePostal + " ", lines[^1]);
        Assert.Equal("tel:" + telephone, page.QuerySelector(".contacts a[href^='tel:']")!.GetAttribute("href"));
        // Wednesday 15 July 2026 at 10:00 in Paris.
        Assert.Equal("Ouvert maintenant, jusqu'à 12 h", Text(page.QuerySelector(".etat-ouverture")));
        var table = page.QuerySelector("table.horaires")!;
        Assert.Equal("Horaires de la semaine du 13 juillet au 19 juillet 2026", Text(table.QuerySelector("caption")));
        var rows = table.QuerySelectorAll("tbody tr").Select(r => (Text(r.QuerySelector("th")), Text(r.QuerySelector("td")))).ToList();
        Assert.Equal(
        [
            ("lundi 13 juillet", "9 h – 12 h, 14 h – 17 h"),
            ("mardi 14 juillet", "Non précisé — jour férié : Fête nationale, horaires non précisés par le lieu"),
            ("mercredi 15 juillet (aujourd'hui)", "9 h – 12 h, 14 h – 17 h"),
            ("jeudi 16 juillet", "9 h – 12 h, 14 h – 17 h"),
            ("vendredi 17 juillet", "9 h – 12 h, 14 h – 17 h"),
            ("samedi 18 juillet", "Fermé"),
            ("dimanche 19 juillet", "Fermé"),
        ], rows);
        var today = Assert.Single(table.QuerySelectorAll("tr[aria-current='date']"));
        Assert.Contains("aujourdhui", today.ClassList);
        // The public holidays of the next 120 days, and the hours as published.
        Assert.Equal(
            ["samedi 15 août (Assomption) : horaires non précisés par le lieu",
             "dimanche 1er novembre (Toussaint) : horaires non précisés par le lieu",
             "mercredi 11 novembre (Armistice 1918) : horaires non précisés par le lieu"],
            page.QuerySelectorAll("ul.feries li").Select(Text));
        Assert.Contains("Mo-Fr 09:00-12:00,14:00-17:00", Text(page.QuerySelector("#t-horaires")!.ParentElement));
        // Services with their official labels, the sources and the producer's date.
        var offer = page.QuerySelector("#t-offre")!.ParentElement!;
        Assert.Equal(services, offer.QuerySelector("h3 + ul.etiquettes")!.QuerySelectorAll("li").Select(Text));
        Assert.Equal(sources, page.QuerySelectorAll("ul.sources li").Length);
        var french = System.Globalization.CultureInfo.GetCultureInfo("fr-FR");
        var day = (dateMaj.Day == 1 ? "1er" : dateMaj.Day.ToString(french)) + dateMaj.ToString(" MMMM yyyy", french);
        Assert.Contains($"Informations mises à jour le {day} par leur producteur", Text(page.QuerySelector("#t-sources")!.ParentElement));
        // The way back to the search, residents' reports and the structure's own updates.
        Assert.StartsWith("/?commune=", page.QuerySelector(".retour a")!.GetAttribute("href"));
        Assert.Equal([$"/lieux/{id}/signaler", $"/lieux/{id}/gerer"],
            page.QuerySelectorAll("#signaler a").Select(a => a.GetAttribute("href")));
    }

    [Fact]
    public async Task The_structured_data_is_valid_json_ld_describing_the_place()
    {
        var id = await WeekdayPlaceAsync();
        var page = await PageAsync(id);
        var block = Assert.Single(page.QuerySelectorAll("script[type='application/ld+json']"));
        using var json = JsonDocument.Parse(block.TextContent);
        var data = json.RootElement;
        var canonical = page.QuerySelector("link[rel=canonical]")!.GetAttribute("href");
        Assert.StartsWith($"{Origin}/lieux/{id}-", canonical);
        Assert.Equal("https://schema.org", data.GetProperty("@context").GetString());
        Assert.Equal(canonical, data.GetProperty("url").GetString());
        Assert.Equal(await FieldAsync<string>("nom", id), data.GetProperty("name").GetString());
        var address = data.GetProperty("address");
        Assert.Equal("PostalAddress", address.GetProperty("@type").GetString());
        Assert.Equal(await FieldAsync<string>("code_postal", id), address.GetProperty("postalCode").GetString());
        Assert.Equal("FR", address.GetProperty("addressCountry").GetString());
        var geo = data.GetProperty("geo");
        Assert.Equal(await server.ScalarAsync<double>("SELECT ST_Y(location::geometry) FROM sites WHERE id = $1", id),
            geo.GetProperty("latitude").GetDouble(), 6);
        Assert.Equal(await server.ScalarAsync<double>("SELECT ST_X(location::geometry) FROM sites WHERE id = $1", id),
            geo.GetProperty("longitude").GetDouble(), 6);
        Assert.Equal(await FieldAsync<string>("telephone", id), data.GetProperty("telephone").GetString());
        // Mo-Fr 09:00-12:00,14:00-17:00: two ranges on each of five days.
        var hours = data.GetProperty("openingHoursSpecification").EnumerateArray()
            .Select(h => (h.GetProperty("dayOfWeek").GetString(), h.GetProperty("opens").GetString(), h.GetProperty("closes").GetString()))
            .ToList();
        Assert.Equal(
            from day in new[] { "Monday", "Tuesday", "Wednesday", "Thursday", "Friday" }
            from range in new[] { ("09:00", "12:00"), ("14:00", "17:00") }
            select ("https://schema.org/" + day, range.Item1, range.Item2),
            hours);
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", data.GetProperty("dateModified").GetString());
    }

    [Fact]
    public async Task Booking_and_accessibility_pages_of_the_data_are_linked()
    {
        var booking = await server.ScalarAsync<long>("SELECT id FROM sites WHERE prise_rdv LIKE 'https://%' ORDER BY id LIMIT 1");
        var page = await PageAsync(booking);
        var link = page.QuerySelectorAll(".contacts a")
            .Single(a => Text(a).StartsWith("Prendre rendez-vous en ligne", StringComparison.Ordinal));
        Assert.Equal(await FieldAsync<string>("prise_rdv", booking), link.GetAttribute("href"));

        var accessible = await server.ScalarAsync<long>(
            "SELECT id FROM sites WHERE fiche_acces_libre LIKE 'https://%' ORDER BY id LIMIT 1");
        page = await PageAsync(accessible);
        var acceslibre = page.QuerySelector("#t-accessibilite")!.ParentElement!.QuerySelector("a")!;
        Assert.Equal(await FieldAsync<string>("fiche_acces_libre", accessible), acceslibre.GetAttribute("href"));
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
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains($"<link rel=\"canonical\" href=\"{Origin}/lieux/{id}-france-services-boussac\"", html);
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
        var page = await new HtmlParser().ParseDocumentAsync(await response.Content.ReadAsStringAsync());
        Assert.Equal("Ce lieu est introuvable", Text(page.QuerySelector("h1")));
        Assert.Equal("/", page.QuerySelector("main a")!.GetAttribute("href"));
        Assert.Empty(page.QuerySelectorAll("script"));
    }

    [Fact]
    public async Task A_place_removed_from_the_catalogue_answers_404_and_leaves_the_sitemap()
    {
        var id = await CopyAsync();
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync($"/lieux/{id}")).StatusCode);
        // The highest id: in the last file of the index.
        Assert.Contains($"/lieux/{id}-", await server.Client.GetStringAsync("/sitemap-3.xml"));
        await server.ScalarAsync<long>("DELETE FROM sites WHERE id = $1 RETURNING id", id);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.GetAsync($"/lieux/{id}")).StatusCode);
        Assert.DoesNotContain($"/lieux/{id}-", await server.Client.GetStringAsync("/sitemap-3.xml"));
    }

    [Fact]
    public async Task A_retired_place_answers_410_with_the_date_it_left_and_leaves_the_sitemap()
    {
        var id = await CopyAsync();
        try
        {
            Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync($"/lieux/{id}")).StatusCode);
            await server.ScalarAsync<long>(
                "UPDATE sites SET retired_at = '2026-03-02T10:00:00Z' WHERE id = $1 RETURNING id", id);
            var response = await server.Client.GetAsync($"/lieux/{id}");
            Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
            var page = await new HtmlParser().ParseDocumentAsync(await response.Content.ReadAsStringAsync());
            Assert.Equal("Ce lieu n'est plus référencé", Text(page.QuerySelector("h1")));
            Assert.Contains("2 mars 2026", page.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
            Assert.NotNull(page.QuerySelector("a[href='/']"));
            Assert.DoesNotContain($"/lieux/{id}-", await server.Client.GetStringAsync("/sitemap-3.xml"));
        }
        finally
        {
            // The other tests count the real catalogue.
            await server.ScalarAsync<long>("DELETE FROM sites WHERE id = $1 RETURNING id", id);
        }
    }

    [Fact]
    public async Task The_robots_file_points_to_the_sitemap()
    {
        var robots = await server.Client.GetStringAsync("/robots.txt");
        Assert.Contains($"Sitemap: {Origin}/sitemap.xml", robots);
    }

    [Fact]
    public async Task Text_from_the_data_is_encoded_and_only_safe_addresses_become_links()
    {
        const string name = "<script>alert(1)</script> « Lieu » & \"piégé\" </script>";
        // Straight into the database, bypassing the import that would refuse these values.
        var id = await CopyAsync();
        try
        {
            await server.ScalarAsync<long>("""
                UPDATE sites SET nom = $2, adresse = '<img src=x onerror=alert(2)>', presentation_resume = '<b>gras</b>',
                       site_web = ARRAY['javascript:alert(3)', 'https://ok.example.fr/'], prise_rdv = 'javascript:alert(4)',
                       fiche_acces_libre = 'data:text/html,<script>alert(5)</script>',
                       courriels = ARRAY['javascript:alert(6)//@x.fr', 'contact@ok.example.fr'], telephone = 'javascript:alert(7)'
                 WHERE id = $1 RETURNING id
                """, id, name);
            var response = await server.Client.GetAsync($"/lieux/{id}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var html = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain("<script>alert", html);
            Assert.DoesNotContain("<img src=x", html);
            Assert.DoesNotContain("<b>gras</b>", html);
            var page = await new HtmlParser().ParseDocumentAsync(html);
            Assert.Equal(name, Text(page.QuerySelector("h1")));
            Assert.Empty(page.QuerySelectorAll("img, b"));
            // Scripts: our own module and the data block, nothing else; no event handler attribute anywhere.
            Assert.Equal(["/app/lieu.js"], page.QuerySelectorAll("script[src]").Select(s => s.GetAttribute("src")));
            Assert.Equal(2, page.QuerySelectorAll("script").Length);
            Assert.DoesNotContain(page.All.SelectMany(e => e.Attributes), a => a.Name.StartsWith("on", StringComparison.Ordinal));
            var hrefs = page.QuerySelectorAll("[href], [src], [action]")
                .Select(e => e.GetAttribute("href") ?? e.GetAttribute("src") ?? e.GetAttribute("action")!).ToList();
            Assert.Contains("https://ok.example.fr/", hrefs);
            Assert.Contains("mailto:contact@ok.example.fr", hrefs);
            // Absolute http(s) links, the one plain address, our own paths, the skip link and the empty icon.
            Assert.All(hrefs, h => Assert.Matches(@"^(https?://|mailto:contact@ok\.example\.fr$|/|#contenu$|data:,$)", h));
            // The structured data: one data block, valid JSON, no '<' that could close it, the name intact once decoded.
            var block = Assert.Single(page.QuerySelectorAll("script[type='application/ld+json']"));
            Assert.DoesNotContain("<", block.TextContent);
            using var data = JsonDocument.Parse(block.TextContent);
            Assert.Equal(name, data.RootElement.GetProperty("name").GetString());
            Assert.Equal(["https://ok.example.fr/"], data.RootElement.GetProperty("sameAs").EnumerateArray().Select(e => e.GetString()));
            Assert.False(data.RootElement.TryGetProperty("telephone", out _));
            // The policy that would stop anything that slipped through: no inline script may run.
            var csp = response.Headers.GetValues("Content-Security-Policy").Single();
            Assert.Contains("script-src 'self';", csp);
            Assert.DoesNotContain("unsafe-inline", csp);
        }
        finally
        {
            await server.ScalarAsync<long>("DELETE FROM sites WHERE id = $1 RETURNING id", id);
        }
    }
}
