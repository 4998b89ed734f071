using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Playwright;

namespace InclusionMap.Browser.Tests;

/// <summary>
/// Every page does its job under our Content-Security-Policy with no violation and no console error, the widget too
/// under a strict partner policy, and an address from the data that is not http(s) never becomes a link.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PageSecurityTests(BrowserFixture browser)
{
    [Fact]
    public async Task The_residents_page_searches_and_draws_its_map_without_any_violation()
    {
        var page = await browser.NewPageAsync();
        var problems = await PageProblems.WatchAsync(page);
        await page.GotoAsync("/?commune=23096&q=Gu%C3%A9ret");
        await page.WaitForFunctionAsync("() => document.querySelectorAll('#liste > li').length > 0");
        await PageProblems.WaitAsync(page, "body[data-map-ready]", problems);
        await page.Locator("#liste > li").First.GetByRole(AriaRole.Button, new() { NameRegex = new("Voir sur la carte") }).ClickAsync();
        await PageProblems.WaitAsync(page, ".marqueur.choisi", problems);
        await problems.AssertNoneAsync();
    }

    [Fact]
    public async Task The_coordinators_page_shows_a_departement_and_its_map_without_any_violation()
    {
        var page = await browser.NewPageAsync();
        var problems = await PageProblems.WatchAsync(page);
        await page.GotoAsync("/couverture?departement=23");
        await page.WaitForFunctionAsync("() => document.querySelector('#etat').textContent.startsWith('Département 23')");
        await PageProblems.WaitAsync(page, "body[data-map-ready]", problems);
        // The legend's colours are set through the CSSOM, which the policy allows (a style attribute would be refused).
        Assert.Equal("rgb(254, 240, 217)",
            await page.Locator("#legende li span").First.EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor"));
        await problems.AssertNoneAsync();
    }

    [Fact]
    public async Task Every_map_layer_of_the_coordinators_page_draws_without_any_violation()
    {
        var page = await browser.NewPageAsync();
        var problems = await PageProblems.WatchAsync(page);
        await page.GotoAsync("/couverture?departement=23");
        await page.WaitForFunctionAsync("() => document.querySelector('#etat').textContent.startsWith('Département 23')");
        foreach (var indicator in new[] { "personnes", "ifn", "acces", "taux" })
        {
            await page.Locator("#indicateur").SelectOptionAsync(indicator);
            await PageProblems.WaitAsync(page, $"#carte[data-indicator='{indicator}']", problems);
            await PageProblems.WaitAsync(page, "body[data-map-ready]", problems);
        }
        await problems.AssertNoneAsync();
    }

    [Fact]
    public async Task The_place_page_and_the_integration_page_work_without_any_violation()
    {
        var id = await browser.Server.ScalarAsync<long>("SELECT min(id) FROM sites WHERE location IS NOT NULL AND horaires IS NOT NULL");
        var page = await browser.NewPageAsync();
        var problems = await PageProblems.WatchAsync(page);
        await page.GotoAsync($"/lieux/{id}");
        await PageProblems.WaitAsync(page, "body[data-ready]", problems);
        await page.Locator("#carte-lieu").ScrollIntoViewIfNeededAsync();
        await PageProblems.WaitAsync(page, "body[data-map-ready]", problems);
        await page.GotoAsync("/integrer?commune=23096&limit=3");
        await PageProblems.WaitAsync(page, "inclusion-map#apercu[data-state='ready']", problems);
        await PageProblems.WaitAsync(page, "inclusion-map#apercu[data-map='ready']", problems);
        Assert.Equal(3, await page.Locator("inclusion-map#apercu li").CountAsync());
        await problems.AssertNoneAsync();
    }

    [Fact]
    public async Task The_embed_page_shows_the_widget_and_its_map_without_any_violation()
    {
        var page = await browser.NewPageAsync(480, 700);
        var problems = await PageProblems.WatchAsync(page);
        await page.GotoAsync("/embed?commune=35238&limit=4");
        await PageProblems.WaitAsync(page, "inclusion-map[data-state='ready']", problems);
        Assert.Equal(4, await page.Locator("inclusion-map li").CountAsync());
        await PageProblems.WaitAsync(page, "inclusion-map[data-map='ready']", problems);
        // The page's own styles moved from inline to /app/embed.css still apply (the heading is for screen readers only).
        Assert.Equal("absolute", await page.Locator("h1").EvaluateAsync<string>("e => getComputedStyle(e).position"));
        await problems.AssertNoneAsync();
    }

    [Fact]
    public async Task Graphiql_renders_and_runs_its_example_query_without_any_violation()
    {
        var page = await browser.NewPageAsync();
        var problems = await PageProblems.WatchAsync(page);
        await page.GotoAsync("/graphql");
        await PageProblems.WaitAsync(page, ".graphiql-container", problems);
        await page.Locator(".graphiql-execute-button").ClickAsync();
        await page.WaitForFunctionAsync("() => document.querySelector('.result-window')?.textContent.includes('distanceMeters')");
        await problems.AssertNoneAsync();
    }

    [Fact]
    public async Task Graphiql_documentation_explorer_lists_the_schema_it_loaded_by_introspection()
    {
        var page = await browser.NewPageAsync();
        var problems = await PageProblems.WatchAsync(page);
        var introspection = page.WaitForResponseAsync(r => r.Url.EndsWith("/graphql", StringComparison.Ordinal)
            && r.Request.PostData?.Contains("query IntrospectionQuery", StringComparison.Ordinal) == true);
        await page.GotoAsync("/graphql");
        await PageProblems.WaitAsync(page, ".graphiql-container", problems);
        Assert.Equal(200, (await introspection).Status);
        await page.GetByRole(AriaRole.Button, new() { Name = "Show Documentation Explorer" }).ClickAsync();
        var docs = page.Locator(".graphiql-doc-explorer");
        // The schema as graphql-js built it from the server's answer: its description, its root type, every type.
        await docs.GetByText("places offering digital help").First.WaitForAsync();
        await docs.Locator(".graphiql-doc-explorer-type-name", new() { HasTextRegex = new("^Site$") }).First.WaitForAsync();
        await docs.Locator(".graphiql-doc-explorer-type-name", new() { HasTextRegex = new("^Query$") }).First.ClickAsync();
        var sites = docs.Locator(".graphiql-doc-explorer-field-name", new() { HasTextRegex = new("^sites$") });
        await sites.WaitForAsync();
        await sites.ClickAsync();
        await docs.GetByText("Search the catalogue.").First.WaitForAsync();
        await docs.Locator(".graphiql-doc-explorer-argument-name", new() { HasTextRegex = new("^openAt$") }).First.WaitForAsync();
        await problems.AssertNoneAsync();
    }

    [Fact]
    public async Task Graphiql_completes_arguments_and_fields_from_the_schema_as_one_types()
    {
        var page = await browser.NewPageAsync();
        var problems = await PageProblems.WatchAsync(page);
        await page.GotoAsync("/graphql");
        await PageProblems.WaitAsync(page, ".graphiql-container", problems);
        // The explorer's button appears once the schema is loaded: completion needs it.
        await page.GetByRole(AriaRole.Button, new() { Name = "Show Documentation Explorer" }).WaitForAsync();
        await page.Locator(".graphiql-query-editor .CodeMirror").ClickAsync();
        await page.Keyboard.PressAsync("Control+A");
        await page.Keyboard.PressAsync("Delete");
        var hints = page.Locator(".CodeMirror-hints .CodeMirror-hint");

        // An argument of sites (the editor closes the brackets itself).
        await page.Keyboard.TypeAsync("{ sites(open");
        await hints.Filter(new() { HasTextRegex = new("^openAt$") }).WaitForAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.Keyboard.TypeAsync(": \"2026-07-15T10:00:00+02:00\", first: 3) { nodes { presentation");
        // A field of Site, two levels down.
        await hints.Filter(new() { HasTextRegex = new("^presentationResume$") }).WaitForAsync();
        Assert.Contains("presentationDetail", await hints.AllTextContentsAsync());
        await page.Keyboard.PressAsync("Enter");
        var query = await page.Locator(".graphiql-query-editor .CodeMirror").EvaluateAsync<string>("e => e.CodeMirror.getValue()");
        Assert.Contains("sites(openAt: \"2026-07-15T10:00:00+02:00\", first: 3) { nodes { presentationResume", query);
        await problems.AssertNoneAsync();
    }

    /// <summary>A partner site on another origin with a strict policy of its own: only what docs/embedding.md asks for.</summary>
    private async Task<WebApplication> PartnerAsync(string widget)
    {
        var api = browser.Server.BaseAddress.ToString().TrimEnd('/');
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var partner = builder.Build();
        partner.MapGet("/", (HttpContext http) =>
        {
            http.Response.Headers.ContentSecurityPolicy = $"default-src 'self'; script-src 'self' {api}; connect-src 'self' {api}; "
                + $"img-src 'self' data:; worker-src blob: {api}; style-src 'self'; frame-src {api}; object-src 'none'; base-uri 'none'";
            return Results.Content($$"""
                <!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Mairie partenaire</title><link rel="icon" href="data:,">
                <script src="{{api}}/widget.js" defer></script></head>
                <body><main><h1>Aide numérique</h1>{{widget}}</main></body></html>
                """, "text/html; charset=utf-8");
        });
        await partner.StartAsync();
        return partner;
    }

    [Fact]
    public async Task The_widget_works_under_a_strict_partner_policy_without_any_violation()
    {
        await using var partner = await PartnerAsync("""<inclusion-map commune="23096" limit="5" height="520"></inclusion-map>""");
        var page = await browser.NewPageAsync();
        var problems = await PageProblems.WatchAsync(page);
        await page.GotoAsync(partner.Urls.First());
        await PageProblems.WaitAsync(page, "inclusion-map[data-state='ready']", problems);
        Assert.Equal(5, await page.Locator("inclusion-map li").CountAsync());
        await PageProblems.WaitAsync(page, "inclusion-map[data-map='ready']", problems);
        // The shadow root's styles apply (the title bar is blue), though the partner allows no inline style.
        Assert.Equal("rgb(11, 79, 168)",
            await page.Locator("inclusion-map h2").EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor"));
        await problems.AssertNoneAsync();
        await partner.StopAsync();
    }

    [Fact]
    public async Task A_partner_may_frame_the_embed_page_but_not_the_others()
    {
        var api = browser.Server.BaseAddress.ToString().TrimEnd('/');
        await using var partner = await PartnerAsync($"""
            <iframe title="Lieux d'aide" src="{api}/embed?commune=23096&amp;map=off" width="400" height="400"></iframe>
            <iframe title="Accueil" src="{api}/" width="400" height="400"></iframe>
            """);
        var page = await browser.NewPageAsync();
        var refused = page.WaitForConsoleMessageAsync(new()
        {
            Predicate = m => m.Text.Contains("frame-ancestors 'none'", StringComparison.Ordinal),
        });
        await page.GotoAsync(partner.Urls.First());
        await page.FrameLocator("iframe[title='Lieux d\\'aide']").Locator("inclusion-map[data-state='ready']")
            .WaitForAsync(new() { State = WaitForSelectorState.Attached });
        Assert.Contains($"Framing '{api}/' violates", (await refused).Text);
        Assert.Equal(0, await page.FrameLocator("iframe[title='Accueil']").Locator("#recherche").CountAsync());
        await partner.StopAsync();
    }

    [Fact]
    public async Task A_script_address_stored_in_the_database_is_never_rendered_as_a_link()
    {
        // Straight into the database, bypassing the import that would refuse it: a copy of Limoges' nearest site.
        var columns = await browser.Server.ScalarAsync<string>("""
            SELECT string_agg(quote_ident(column_name), ', ') FROM information_schema.columns
             WHERE table_name = 'sites' AND is_generated = 'NEVER' AND is_identity = 'NO' AND column_name <> 'id'
            """);
        var id = await browser.Server.ScalarAsync<long>($"""
            INSERT INTO sites ({columns}) SELECT {columns} FROM sites
             WHERE id = (SELECT s.id FROM sites s, communes c WHERE c.code = '87085' AND s.location IS NOT NULL
                          ORDER BY s.location <-> c.centre::geography LIMIT 1)
            RETURNING id
            """);
        try
        {
            await browser.Server.ScalarAsync<object>("""
                UPDATE sites SET nom = 'Lieu aux liens piégés',
                       site_web = ARRAY['javascript:alert(document.cookie)', 'https://ok.example.fr/'],
                       prise_rdv = 'javascript:alert(1)', fiche_acces_libre = 'data:text/html,<script>alert(2)</script>',
                       telephone = '+33555000000'
                 WHERE id = $1 RETURNING id
                """, id);

            var page = await browser.NewPageAsync();
            await page.GotoAsync("/?commune=87085&q=Limoges");
            var card = page.Locator($"#liste > li[data-id='{id}']");
            await card.WaitForAsync();
            await AssertOnlySafeLinksAsync(card);

            await using var partner = await PartnerAsync("""<inclusion-map commune="87085" limit="20" map="off"></inclusion-map>""");
            var widget = await browser.NewPageAsync();
            await widget.GotoAsync(partner.Urls.First());
            await PageProblems.WaitAsync(widget, "inclusion-map[data-state='ready']");
            await AssertOnlySafeLinksAsync(widget.Locator($"inclusion-map li[data-id='{id}']"));
            await partner.StopAsync();
        }
        finally
        {
            await browser.Server.ScalarAsync<object>("DELETE FROM sites WHERE id = $1 RETURNING id", id);
        }
    }

    /// <summary>The site's card links its phone and its one good web address, and nothing else from the data.</summary>
    private static async Task AssertOnlySafeLinksAsync(ILocator card)
    {
        Assert.Contains("Lieu aux liens piégés", await card.InnerTextAsync());
        // Every link but the card's own « Signaler un problème » (a path of ours, /lieux/{id}/signaler) comes from the data.
        var hrefs = await card.Locator("a:not(.signaler)").EvaluateAllAsync<string[]>("links => links.map(a => a.getAttribute('href'))");
        Assert.Contains("https://ok.example.fr/", hrefs);
        Assert.Contains("tel:+33555000000", hrefs);
        // And the place's own page, a path of ours.
        Assert.All(hrefs, href => Assert.Matches(@"^((https?|tel|mailto):|/lieux/\d+$)", href));
        Assert.Equal(0, await card.GetByText("Prendre rendez-vous").CountAsync());
        Assert.Equal(0, await card.GetByText("Accessibilité du bâtiment").CountAsync());
    }
}
