using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Playwright;

namespace InclusionMap.Browser.Tests;

/// <summary>
/// The widget's options on a partner page of another origin, and the page /integrer where a partner sets them, sees the
/// widget live and copies a snippet that then works on its own site.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class WidgetOptionsTests(BrowserFixture browser)
{
    private string Api => browser.Server.BaseAddress.ToString().TrimEnd('/');

    /// <summary>A partner site on another origin showing <paramref name="body"/>.</summary>
    private static async Task<WebApplication> PartnerAsync(string body)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var partner = builder.Build();
        partner.MapGet("/", () => Results.Content($"""
            <!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Mairie partenaire</title>
            <link rel="icon" href="data:,"></head>
            <body><main><h1>Aide numérique</h1>{body}</main></body></html>
            """, "text/html; charset=utf-8"));
        await partner.StartAsync();
        return partner;
    }

    /// <summary>The ids the API gives for the widget's question: the nearest places within 50 km of the commune's centre.</summary>
    private async Task<List<string>> ExpectedAsync(string commune, string? services, string? programmes, int first)
    {
        async Task<JsonNode> Ask(string query, object variables)
        {
            var response = await browser.Server.Client.PostAsJsonAsync("/graphql", new { query, variables });
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.Null(body["errors"]);
            return body["data"]!;
        }
        var centre = (await Ask("query($c: String!) { commune(code: $c) { centre } }", new { c = commune }))
            ["commune"]!["centre"]!["coordinates"]!;
        var data = await Ask("""
            query($near: GeoPointInput!, $services: [Service!], $programmes: [DispositifProgrammeNational!], $first: Int!) {
              sites(near: $near, radiusMeters: 50000, services: $services, programmes: $programmes, first: $first) { nodes { id } } }
            """, new
        {
            near = new { latitude = centre[1]!.GetValue<double>(), longitude = centre[0]!.GetValue<double>() },
            services = services?.Split(','), programmes = programmes?.Split(','), first,
        });
        return [.. data["sites"]!["nodes"]!.AsArray().Select(n => n!["id"]!.GetValue<string>())];
    }

    private static async Task<List<string>> WidgetIdsAsync(ILocator widget) =>
        [.. await widget.Locator("li[data-id]").EvaluateAllAsync<string[]>("items => items.map(i => i.dataset.id)")];

    /// <summary>The widget once drawn (its data-state), ready to be read.</summary>
    private static async Task<ILocator> ReadyAsync(ILocator widgets)
    {
        await widgets.And(widgets.Page.Locator("[data-state='ready']")).WaitForAsync(new() { State = WaitForSelectorState.Attached });
        return widgets;
    }

    private string Script => $"""<script src="{Api}/widget.js" defer></script>""";

    [Fact]
    public async Task The_options_choose_the_places_their_number_the_colours_and_where_links_open()
    {
        await using var partner = await PartnerAsync(Script + """
            <inclusion-map commune="23096" services="AIDE_AUX_DEMARCHES_ADMINISTRATIVES" programmes="FRANCE_SERVICES" limit="3"
                           color="#7a1f5c" background="#fffaf0" target="_blank" map="off"></inclusion-map>
            """);
        var page = await browser.NewPageAsync();
        await page.GotoAsync(partner.Urls.First());
        var widget = await ReadyAsync(page.Locator("inclusion-map"));
        var expected = await ExpectedAsync("23096", "AIDE_AUX_DEMARCHES_ADMINISTRATIVES", "FRANCE_SERVICES", 3);
        Assert.Equal(expected, await WidgetIdsAsync(widget));
        Assert.Equal("rgb(122, 31, 92)", await widget.Locator("h2").EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor"));
        Assert.Equal("rgb(255, 250, 240)", await widget.EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor"));
        Assert.Null(await widget.GetAttributeAsync("data-colors"));
        // Every link opens a new tab and says so, but the phone numbers; each place's name leads to its page.
        foreach (var link in await widget.Locator("a").AllAsync())
        {
            var href = await link.GetAttributeAsync("href");
            if (href!.StartsWith("tel:", StringComparison.Ordinal)) continue;
            Assert.Equal("_blank", await link.GetAttributeAsync("target"));
            Assert.EndsWith("(nouvel onglet)", await link.InnerTextAsync());
        }
        foreach (var item in await widget.Locator("li[data-id]").AllAsync())
            Assert.Equal($"{Api}/lieux/{await item.GetAttributeAsync("data-id")}", await item.Locator("h3 a").GetAttributeAsync("href"));
        Assert.Equal($"{Api}/?commune=23096&services=AIDE_AUX_DEMARCHES_ADMINISTRATIVES&programmes=FRANCE_SERVICES",
            await widget.GetByRole(AriaRole.Link, new() { NameRegex = new("^Voir tous les lieux") }).GetAttributeAsync("href"));
        Assert.Empty(await BrowserFixture.AxeViolationsAsync(page));
        await partner.StopAsync();
    }

    [Fact]
    public async Task Colours_too_low_in_contrast_are_refused_and_the_defaults_kept()
    {
        await using var partner = await PartnerAsync(
            Script + """<inclusion-map commune="23096" limit="2" color="#ffd700" map="off"></inclusion-map>""");
        var page = await browser.NewPageAsync();
        await page.GotoAsync(partner.Urls.First());
        var widget = await ReadyAsync(page.Locator("inclusion-map"));
        Assert.Equal("refused", await widget.GetAttributeAsync("data-colors"));
        Assert.Equal("rgb(11, 79, 168)", await widget.Locator("h2").EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor"));
        Assert.Empty(await BrowserFixture.AxeViolationsAsync(page));
        await partner.StopAsync();
    }

    [Fact]
    public async Task A_partner_sets_the_options_sees_the_widget_live_and_copies_a_snippet_that_works_on_its_site()
    {
        var context = await browser.Browser.NewContextAsync(new()
        {
            BaseURL = browser.Server.BaseAddress.ToString(), Locale = "fr-FR", ViewportSize = new() { Width = 1280, Height = 1000 },
            Permissions = ["clipboard-read", "clipboard-write"],
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(20_000);
        await page.GotoAsync("/integrer");
        await page.Locator("body[data-ready]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        Assert.Empty(await BrowserFixture.AxeViolationsAsync(page));
        await page.GetByLabel("Commune : nom ou code postal").FillAsync("Rennes");
        await page.WaitForFunctionAsync("() => document.getElementById('commune').value === '35238'");
        await page.GetByText("Services et dispositifs").ClickAsync();
        await page.Locator("#services-AIDE_AUX_DEMARCHES_ADMINISTRATIVES").CheckAsync();
        await page.GetByLabel("Nombre de lieux (1 à 20)").FillAsync("3");
        await page.GetByLabel("dans un nouvel onglet").CheckAsync();
        await page.GetByLabel("Couleur principale (bandeau, numéros, liens)").FillAsync("#7a1f5c");

        // The live widget follows.
        var preview = page.Locator("inclusion-map#apercu");
        var expected = await ExpectedAsync("35238", "AIDE_AUX_DEMARCHES_ADMINISTRATIVES", null, 3);
        await page.WaitForFunctionAsync("""
            ids => { const w = document.getElementById('apercu');
              return w.dataset.state === 'ready'
                && [...w.shadowRoot.querySelectorAll('li[data-id]')].map(l => l.dataset.id).join() === ids; }
            """, string.Join(",", expected));
        Assert.Equal("rgb(122, 31, 92)", await preview.Locator("h2").EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor"));
        var snippet = await page.Locator("#code-widget").InputValueAsync();
        Assert.Equal($"<script src=\"{Api}/widget.js\" defer></script>\n"
            + """<inclusion-map commune="35238" services="AIDE_AUX_DEMARCHES_ADMINISTRATIVES" limit="3" height="480" """
            + """color="#7a1f5c" target="_blank"></inclusion-map>""", snippet);
        Assert.Contains("commune=35238", page.Url);
        Assert.Empty(await BrowserFixture.AxeViolationsAsync(page));
        await page.GetByRole(AriaRole.Button, new() { Name = "Copier le code", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Code copié" }).WaitForAsync();
        Assert.Equal(snippet, await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));

        // Pasted on the partner's site, the snippet shows the same places; so does the iframe's.
        var iframe = await page.Locator("#code-iframe").InputValueAsync();
        Assert.StartsWith($"<iframe src=\"{Api}/embed?commune=35238&amp;services=AIDE_AUX_DEMARCHES_ADMINISTRATIVES&amp;limit=3&amp;",
            iframe);
        await using var partner = await PartnerAsync(snippet + iframe);
        var site = await browser.NewPageAsync();
        await site.GotoAsync(partner.Urls.First());
        var pasted = await ReadyAsync(site.Locator("main > inclusion-map"));
        Assert.Equal(expected, await WidgetIdsAsync(pasted));
        var framed = site.FrameLocator("iframe").Locator("inclusion-map[data-state='ready']");
        await framed.WaitForAsync(new() { State = WaitForSelectorState.Attached });
        Assert.Equal(expected, await WidgetIdsAsync(framed));
        Assert.Equal("_blank", await framed.Locator("h3 a").First.GetAttributeAsync("target"));

        // Colours nobody could read are flagged before they are copied.
        await page.GetByLabel("Couleur de fond").FillAsync("#000000");
        Assert.Contains("pas assez contrastées", await page.Locator("#contraste").InnerTextAsync());
        await partner.StopAsync();
        await context.CloseAsync();
    }
}
