using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Playwright;

namespace InclusionMap.Browser.Tests;

[Collection(BrowserCollection.Name)]
public sealed class CoordinatorAndWidgetTests(BrowserFixture browser)
{
    [Fact]
    public async Task The_coordinator_page_shows_a_departement_its_communes_sites_and_exports()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync("/couverture");
        await page.Locator("body[data-ready]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        Assert.Empty(await BrowserFixture.AxeViolationsAsync(page));
        await page.GetByLabel("Département").SelectOptionAsync("23");
        await page.WaitForFunctionAsync("() => document.querySelector('#etat').textContent.startsWith('Département 23')");
        Assert.Contains("departement=23", page.Url);

        var sites = await browser.Server.ScalarAsync<long>("SELECT count(*) FROM sites WHERE departement_code = '23'");
        var withoutSite = await browser.Server.ScalarAsync<long>(
            "SELECT count(*) FROM communes c WHERE c.departement_code = '23' "
            + "AND NOT EXISTS (SELECT 1 FROM sites s WHERE s.commune_code = c.code)");
        var summary = await page.Locator("#resume").InnerTextAsync();
        Assert.Contains("255 communes", summary);
        Assert.Contains($"{sites} lieux", summary);
        Assert.Contains($"{withoutSite} communes sans lieu", summary.Replace('\u202F', ' '));
        Assert.Contains("personnes en difficulté avec le numérique", summary);
        Assert.Equal(200, await page.Locator("#tableau tbody tr").CountAsync());
        // Gaps first: the first row is the commune beyond 10 km of every site with the most people in need (brute force).
        var topGap = await browser.Server.ScalarAsync<string>("""
            SELECT c.nom FROM communes c WHERE c.departement_code = '23'
               AND (SELECT min(ST_Distance(s.location, c.centre::geography, false)) FROM sites s WHERE s.location IS NOT NULL) > 10000
             ORDER BY c.people_in_need DESC LIMIT 1
            """);
        var first = page.Locator("#tableau tbody tr").First;
        Assert.StartsWith(topGap, (await first.Locator("th").InnerTextAsync()).Trim());
        Assert.Equal("lacune", await first.GetAttributeAsync("class"));
        Assert.Equal(3, await page.Locator("#suggestions li").CountAsync());

        // Downloaded as a user does (a click), which the Content-Security-Policy allows for blob: files too.
        async Task<string> DownloadAsync(string link)
        {
            var download = await page.RunAndWaitForDownloadAsync(() => page.Locator(link).ClickAsync());
            return await File.ReadAllTextAsync((await download.PathAsync())!);
        }
        var csv = await DownloadAsync("#export-csv");
        var lines = csv.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("code_insee,commune,population,personnes_en_difficulte,taux_illectronisme,site_le_plus_proche,distance_m,"
            + "au_dela_du_seuil,accessibilite_e2sfca", lines[0]);
        Assert.Equal(256, lines.Length);
        var geojson = System.Text.Json.JsonDocument.Parse(await DownloadAsync("#export-geojson")).RootElement
            .GetProperty("features").GetArrayLength();
        Assert.Equal(await browser.Server.ScalarAsync<long>(
            "SELECT count(*) FROM sites WHERE departement_code = '23' AND location IS NOT NULL"), geojson);
        var analysis = await page.EvaluateAsync<int>(
            "async () => (await (await fetch(document.getElementById('export-analyse').href)).json()).features.length");
        Assert.Equal(255, analysis);
        var png = await page.EvaluateAsync<string>("async () => { const r = await fetch(document.getElementById('export-png').href); "
            + "return r.status + ' ' + r.headers.get('content-type'); }");
        Assert.Equal("200 image/png", png);

        // The other map, people in need, is kept in the address.
        await page.Locator("#indicateur").SelectOptionAsync("personnes");
        Assert.Contains("carte=personnes", page.Url);
        await page.Locator("body[data-map-ready]").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 60_000 });
        Assert.Empty(await BrowserFixture.AxeViolationsAsync(page));
        await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "inclusionmap-couverture.png") });
    }

    [Fact]
    public async Task The_widget_works_inside_a_partner_page_of_another_origin_with_isolated_styles()
    {
        // The partner's site: another origin (another port), with its own aggressive styles.
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var partner = builder.Build();
        var api = browser.Server.BaseAddress.ToString().TrimEnd('/');
        partner.MapGet("/", () => Results.Content($$"""
            <!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Mairie partenaire</title>
            <style>li { color: magenta !important; font-size: 40px; } h2 { display: none; }</style>
            <script src="{{api}}/widget.js" defer></script></head>
            <body><main><h1>Aide numérique à Guéret</h1>
            <inclusion-map commune="23096" limit="5" height="520"></inclusion-map></main></body></html>
            """, "text/html; charset=utf-8"));
        await partner.StartAsync();
        var partnerUrl = partner.Urls.First();
        Assert.NotEqual(new Uri(partnerUrl).Port, browser.Server.BaseAddress.Port);

        var page = await browser.NewPageAsync();
        var corsErrors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && (message.Text.Contains("CORS", StringComparison.Ordinal)
                || message.Text.Contains("Access-Control", StringComparison.Ordinal)))
            {
                corsErrors.Add(message.Text);
            }
        };
        var failedOnApi = new List<string>();
        page.Response += (_, response) =>
        {
            if (response.Url.StartsWith(api, StringComparison.Ordinal) && response.Status >= 400)
                failedOnApi.Add($"{response.Status} {response.Url}");
        };
        await page.GotoAsync(partnerUrl);
        await WidgetReadyAsync(page);
        var items = page.Locator("inclusion-map li");
        Assert.Equal(5, await items.CountAsync());
        Assert.Contains("près de Guéret", await page.Locator("inclusion-map h2").InnerTextAsync());
        // The partner's CSS does not reach inside the shadow root.
        Assert.NotEqual("rgb(255, 0, 255)", await items.First.EvaluateAsync<string>("e => getComputedStyle(e).color"));
        Assert.True(await page.Locator("inclusion-map h2").IsVisibleAsync());
        Assert.Empty(corsErrors);
        Assert.Empty(failedOnApi);
        await page.Locator("inclusion-map[data-map='ready']")
            .WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 60_000 });
        Assert.Empty(await BrowserFixture.AxeViolationsAsync(page));
        Assert.Equal($"{api}/?commune=23096",
            await page.Locator("inclusion-map a", new() { HasText = "Voir tous les lieux" }).GetAttributeAsync("href"));
        await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "inclusionmap-widget.png") });
        await partner.StopAsync();
    }

    /// <summary>Waits until the widget has finished, and fails with its own error text when it could not load.</summary>
    private static async Task WidgetReadyAsync(IPage page)
    {
        var widget = page.Locator("inclusion-map[data-state]");
        await widget.WaitForAsync(new() { State = WaitForSelectorState.Attached });
        var state = await widget.GetAttributeAsync("data-state");
        var error = state == "error" ? await page.Locator("inclusion-map .erreur").InnerTextAsync() : "";
        Assert.True(state == "ready", $"widget {state}: {error}");
    }

    [Fact]
    public async Task The_embed_page_shows_the_widget_for_an_iframe()
    {
        var page = await browser.NewPageAsync(480, 600);
        var response = await page.GotoAsync("/embed?commune=35238&services=AIDE_AUX_DEMARCHES_ADMINISTRATIVES&limit=4&map=off");
        Assert.Null(response!.Headers.GetValueOrDefault("x-frame-options"));
        await WidgetReadyAsync(page);
        Assert.Equal(4, await page.Locator("inclusion-map li").CountAsync());
        Assert.Contains("Rennes", await page.Locator("inclusion-map h2").InnerTextAsync());
        Assert.Empty(await BrowserFixture.AxeViolationsAsync(page));
        var home = await page.APIRequest.GetAsync("/");
        Assert.Equal("DENY", home.Headers["x-frame-options"]);
    }
}
