using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace InclusionMap.Browser.Tests;

/// <summary>The residents' page in a real Chromium against the real server and database.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ResidentsPageTests(BrowserFixture browser)
{
    private const double GueretLat = 46.1703, GueretLon = 1.8717;
    private const string SearchLabel = "Votre commune, votre code postal ou le nom d'un lieu";

    /// <summary>An independent answer from the API, for comparison with what the page shows.</summary>
    private async Task<JsonNode> ApiAsync(string query, object variables)
    {
        var response = await browser.Server.Client.PostAsJsonAsync("/graphql", new { query, variables });
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Null(body["errors"]);
        return body["data"]!;
    }

    private async Task<(List<string> Ids, int Total)> ExpectedAsync(double lat, double lon, object? extra = null)
    {
        var variables = new Dictionary<string, object?> { ["near"] = new { latitude = lat, longitude = lon } };
        if (extra is IDictionary<string, object?> named) foreach (var (k, v) in named) variables[k] = v;
        else foreach (var p in extra?.GetType().GetProperties() ?? []) variables[p.Name] = p.GetValue(extra);
        var data = await ApiAsync("""
            query($near: GeoPointInput!, $services: [Service!], $publics: [Public!], $modalites: [ModaliteAccompagnement!],
                  $frais: [FraisACharge!], $openAt: DateTime, $programmes: [DispositifProgrammeNational!], $withOnlineBooking: Boolean,
                  $withAccessibilityInfo: Boolean) {
              sites(near: $near, radiusMeters: 100000, services: $services, publics: $publics, modalites: $modalites, frais: $frais,
                    openAt: $openAt, programmes: $programmes, withOnlineBooking: $withOnlineBooking,
                    withAccessibilityInfo: $withAccessibilityInfo, first: 20) {
                totalCount edges { node { id } } } }
            """, variables);
        return (data["sites"]!["edges"]!.AsArray().Select(e => e!["node"]!["id"]!.GetValue<string>()).ToList(),
            data["sites"]!["totalCount"]!.GetValue<int>());
    }

    private static async Task<List<string>> ShownIdsAsync(IPage page) =>
        [.. await page.Locator("#liste > li").EvaluateAllAsync<string[]>("items => items.map(i => i.dataset.id)")];

    private static async Task<int> ShownTotalAsync(IPage page)
    {
        var text = await page.Locator("#etat").InnerTextAsync();
        return int.Parse(new string(
            text.TakeWhile(c => char.IsDigit(c) || c == '\u202F' || c == '\u00A0' || c == ' ').Where(char.IsDigit).ToArray()));
    }

    private static async Task WaitForResultsAsync(IPage page) =>
        await page.WaitForFunctionAsync("() => document.querySelector('#etat').textContent.includes('lieu')");

    private async Task<IPage> SearchGueretAsync(int width = 1280, int height = 900)
    {
        var page = await browser.NewPageAsync(width, height);
        await page.GotoAsync("/");
        await page.Locator("body[data-ready]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        var input = page.GetByLabel(SearchLabel);
        await input.FillAsync("Guéret");
        await page.Locator("#suggestions [role=option]").First.WaitForAsync();
        // Escape closes the proposals (which cover the buttons, as a listbox does); Enter then submits the form.
        await input.PressAsync("Escape");
        Assert.True(await page.Locator("#suggestions").IsHiddenAsync());
        await input.PressAsync("Enter");
        await WaitForResultsAsync(page);
        return page;
    }

    [Fact]
    public async Task Searching_a_commune_by_name_shows_the_nearest_places_in_distance_order()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync("/");
        await page.Locator("body[data-ready]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        Assert.Empty(await BrowserFixture.AxeViolationsAsync(page));
        var input = page.GetByRole(AriaRole.Combobox, new() { Name = SearchLabel });
        await input.FillAsync("guére");
        await page.GetByRole(AriaRole.Option, new() { Name = "Guéret (23000)" }).WaitForAsync();
        Assert.Equal("true", await input.GetAttributeAsync("aria-expanded"));
        await input.PressAsync("ArrowDown");
        Assert.Equal("suggestion-0", await input.GetAttributeAsync("aria-activedescendant"));
        await input.PressAsync("Enter");
        await WaitForResultsAsync(page);

        var centre = (await ApiAsync("query { commune(code: \"23096\") { centre } }", new { }))["commune"]!["centre"]!["coordinates"]!
            .AsArray();
        var (expected, total) = await ExpectedAsync(centre[1]!.GetValue<double>(), centre[0]!.GetValue<double>());
        Assert.Equal(expected, await ShownIdsAsync(page));
        Assert.Equal(total, await ShownTotalAsync(page));
        Assert.Contains("commune=23096", page.Url);
        Assert.Empty(await BrowserFixture.AxeViolationsAsync(page));
    }

    [Fact]
    public async Task Searching_a_postcode_finds_its_commune()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync("/");
        await page.Locator("body[data-ready]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await page.GetByLabel(SearchLabel).FillAsync("16100");
        // The suggestions open while typing; they must not cover the search button.
        await page.GetByRole(AriaRole.Option, new() { Name = "Cognac (16100)", Exact = true }).WaitForAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Rechercher" }).ClickAsync(new() { Timeout = 5000 });
        await WaitForResultsAsync(page);
        Assert.Contains("de Cognac", await page.Locator("#etat").InnerTextAsync());
        Assert.Contains("commune=16102", page.Url);
    }

    [Fact]
    public async Task Around_me_uses_the_granted_position()
    {
        var page = await browser.NewPageAsync(geolocation: new() { Latitude = 45.6484f, Longitude = 0.1562f },
            permissions: ["geolocation"]);
        await page.GotoAsync("/");
        await page.Locator("body[data-ready]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await page.GetByRole(AriaRole.Button, new() { Name = "Autour de moi" }).ClickAsync();
        await WaitForResultsAsync(page);
        Assert.Contains("de votre position", await page.Locator("#etat").InnerTextAsync());
        var (expected, _) = await ExpectedAsync(45.6484, 0.1562);
        Assert.Equal(expected, await ShownIdsAsync(page));
        Assert.Contains("lat=45.64840", page.Url);
    }

    [Theory]
    [InlineData("services", "AIDE_AUX_DEMARCHES_ADMINISTRATIVES", "Aide aux démarches administratives")]
    [InlineData("publics", "SENIORS", "Seniors")]
    [InlineData("modalites", "DANS_UN_ATELIER_COLLECTIF", "Dans un atelier collectif")]
    public async Task Each_vocabulary_filter_narrows_the_results_like_the_api(string group, string value, string label)
    {
        var page = await SearchGueretAsync();
        await page.GetByText("Filtres").ClickAsync();
        Assert.Empty(await BrowserFixture.AxeViolationsAsync(page)); // filters open
        var before = await ShownTotalAsync(page);
        await page.Locator($"#{group}-{value}").CheckAsync();
        await page.WaitForFunctionAsync($"() => location.search.includes('{group}={value}')");
        var centre = await CentreAsync("23096");
        var (expected, total) = await ExpectedAsync(centre.Lat, centre.Lon, group switch
        {
            "services" => new { services = new[] { value } },
            "publics" => (object)new { publics = new[] { value } },
            _ => new { modalites = new[] { value } },
        });
        await page.WaitForFunctionAsync($"() => document.querySelector('#etat').textContent.startsWith('{total}')");
        Assert.Equal(expected, await ShownIdsAsync(page));
        Assert.True(total < before);
        if (group == "services")
            foreach (var card in await page.Locator("#liste > li").AllAsync())
                Assert.Contains(label, await card.Locator("ul.etiquettes").InnerTextAsync());
        Assert.Equal(label, (await page.Locator($"label[for='{group}-{value}']").InnerTextAsync()).Trim());
    }

    private async Task<(double Lat, double Lon)> CentreAsync(string code)
    {
        var c = (await ApiAsync("query($c: String!) { commune(code: $c) { centre } }", new { c = code }))
            ["commune"]!["centre"]!["coordinates"]!.AsArray();
        return (c[1]!.GetValue<double>(), c[0]!.GetValue<double>());
    }

    [Fact]
    public async Task Free_only_keeps_free_places()
    {
        var page = await SearchGueretAsync();
        await page.GetByText("Filtres").ClickAsync();
        await page.GetByLabel("Gratuit uniquement").CheckAsync();
        var centre = await CentreAsync("23096");
        var (expected, total) = await ExpectedAsync(centre.Lat, centre.Lon, new { frais = new[] { "GRATUIT" } });
        await page.WaitForFunctionAsync(
            $"() => location.search.includes('gratuit=1') && document.querySelector('#etat').textContent.startsWith('{total}')");
        Assert.Equal(expected, await ShownIdsAsync(page));
        foreach (var card in await page.Locator("#liste > li").AllAsync())
            Assert.Equal("Gratuit", await card.Locator(".frais").InnerTextAsync());
        // Each place says when its information was updated (the producer's date) and last confirmed by a source.
        foreach (var card in await page.Locator("#liste > li").AllAsync())
            Assert.Matches(@"^Informations mises à jour le \d{1,2} \w+ \d{4}, confirmées par la source le \d{1,2} \w+ \d{4}\.$",
                await card.Locator(".maj").InnerTextAsync());
    }

    [Fact]
    public async Task Open_now_at_a_fixed_clock_matches_the_api_at_that_instant()
    {
        var page = await browser.NewPageAsync();
        // Wednesday 15 July 2026, 10:00 in Paris.
        await page.Clock.SetFixedTimeAsync(new DateTime(2026, 7, 15, 8, 0, 0, DateTimeKind.Utc));
        await page.GotoAsync("/?commune=16015&ouvert=1");
        await WaitForResultsAsync(page);
        var centre = await CentreAsync("16015");
        var (expected, total) = await ExpectedAsync(centre.Lat, centre.Lon, new { openAt = "2026-07-15T10:00:00+02:00" });
        Assert.True(total > 0);
        Assert.Equal(total, await ShownTotalAsync(page));
        Assert.Equal(expected, await ShownIdsAsync(page));
        Assert.True(await page.GetByLabel("Ouvert maintenant").IsCheckedAsync());
        foreach (var card in await page.Locator("#liste > li").AllAsync())
            Assert.Equal("Ouvert maintenant", await card.Locator(".ouvert").InnerTextAsync());
    }

    [Fact]
    public async Task Selecting_a_place_in_the_list_selects_it_on_the_map_and_the_reverse()
    {
        var page = await SearchGueretAsync();
        await page.Locator("body[data-map-ready]").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 60_000 });
        // From the map: the numbered marker of the third result selects it in the list and moves the focus there.
        var third = page.Locator("#liste > li").Nth(2);
        var thirdId = await third.GetAttributeAsync("data-id");
        await page.Locator($".marqueur[data-id='{thirdId}']").ClickAsync();
        Assert.Equal("true", await third.GetAttributeAsync("aria-current"));
        Assert.Equal($"nom-{thirdId}", await page.EvaluateAsync<string>("() => document.activeElement.id"));

        // From the list: the second result's button selects its marker.
        var second = page.Locator("#liste > li").Nth(1);
        var secondId = await second.GetAttributeAsync("data-id");
        await second.GetByRole(AriaRole.Button).ClickAsync();
        Assert.Equal("true", await second.GetAttributeAsync("aria-current"));
        Assert.Equal("false", await third.GetAttributeAsync("aria-current"));
        await page.Locator($".marqueur.choisi[data-id='{secondId}']").WaitForAsync();
        Assert.Equal(1, await page.Locator(".marqueur.choisi").CountAsync());
        Assert.Empty(await BrowserFixture.AxeViolationsAsync(page)); // a site selected
        await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "inclusionmap-selected.png") });
    }

    [Fact]
    public async Task A_shared_address_restores_the_search_and_its_filters()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync("/?commune=35238&services=AIDE_AUX_DEMARCHES_ADMINISTRATIVES&gratuit=1");
        await WaitForResultsAsync(page);
        Assert.Equal("Rennes", await page.GetByLabel(SearchLabel).InputValueAsync());
        Assert.True(await page.Locator("#services-AIDE_AUX_DEMARCHES_ADMINISTRATIVES").IsCheckedAsync());
        Assert.True(await page.GetByLabel("Gratuit uniquement").IsCheckedAsync());
        var centre = await CentreAsync("35238");
        var (expected, _) = await ExpectedAsync(centre.Lat, centre.Lon,
            new { services = new[] { "AIDE_AUX_DEMARCHES_ADMINISTRATIVES" }, frais = new[] { "GRATUIT" } });
        Assert.Equal(expected, await ShownIdsAsync(page));
    }

    [Fact]
    public async Task The_list_works_when_the_map_cannot_load_its_tiles_or_webgl_is_missing()
    {
        var page = await browser.NewPageAsync();
        await page.RouteAsync("**/tiles/**", route => route.AbortAsync());
        await page.GotoAsync("/?commune=23096");
        await WaitForResultsAsync(page);
        Assert.True(await page.Locator("#liste > li").CountAsync() >= 10);

        await using var noWebGl = await browser.Playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = BrowserFixture.ChromiumPath(), Headless = true,
            Args = [.. BrowserFixture.ChromiumArgs, "--disable-webgl", "--disable-3d-apis", "--disable-software-rasterizer"],
        });
        var plain = await (await noWebGl.NewContextAsync(new() { BaseURL = browser.Server.BaseAddress.ToString(), Locale = "fr-FR" }))
            .NewPageAsync();
        await plain.GotoAsync("/?commune=23096");
        await WaitForResultsAsync(plain);
        Assert.True(await plain.Locator("#liste > li").CountAsync() >= 10);
        await plain.Locator("body[data-map-state='failed']").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        Assert.Contains("la liste des lieux reste complète", await plain.Locator("#carte-etat").InnerTextAsync());
    }

    [Fact]
    public async Task The_page_works_with_the_keyboard_alone_with_a_visible_focus()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync("/");
        await page.Locator("body[data-ready]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("Aller au contenu", await page.EvaluateAsync<string>("() => document.activeElement.textContent"));
        Assert.NotEqual("none", await page.EvaluateAsync<string>("() => getComputedStyle(document.activeElement).outlineStyle"));
        // Tab to the search field (skip link, brand, two navigation links, then the field).
        for (var i = 0; i < 10 && await page.EvaluateAsync<string>("() => document.activeElement.id") != "lieu"; i++)
            await page.Keyboard.PressAsync("Tab");
        Assert.Equal("lieu", await page.EvaluateAsync<string>("() => document.activeElement.id"));
        await page.Keyboard.TypeAsync("Guér", new() { Delay = 30 });
        await page.Locator("#suggestions [role=option]").First.WaitForAsync();
        await page.Keyboard.PressAsync("ArrowDown");
        await page.Keyboard.PressAsync("Enter");
        await WaitForResultsAsync(page);
        // Tab to the first "Voir sur la carte" and press it.
        for (var i = 0; i < 40 && !(await page.EvaluateAsync<string>("() => document.activeElement.className")).Contains("voir"); i++)
            await page.Keyboard.PressAsync("Tab");
        Assert.Contains("voir", await page.EvaluateAsync<string>("() => document.activeElement.className"));
        Assert.NotEqual("none", await page.EvaluateAsync<string>("() => getComputedStyle(document.activeElement).outlineStyle"));
        await page.Keyboard.PressAsync("Enter");
        Assert.Equal("true", await page.Locator("#liste > li").First.GetAttributeAsync("aria-current"));
    }

    [Fact]
    public async Task The_page_is_readable_on_a_small_phone_and_at_200_percent_text()
    {
        var page = await SearchGueretAsync(360, 640);
        var wide = await page.EvaluateAsync<string>("""
            () => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
                     .slice(0, 5).map(e => e.tagName + '.' + e.className + '#' + e.id + ' ' + Math.round(e.getBoundingClientRect().right))
                     .join(' | ')
            """);
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"),
            "no horizontal scrolling at 360 px: " + wide);
        Assert.True(await page.GetByRole(AriaRole.Button, new() { Name = "Rechercher" }).IsVisibleAsync());
        Assert.Empty(await BrowserFixture.AxeViolationsAsync(page));
        await page.EvaluateAsync("() => { document.documentElement.style.fontSize = '200%'; }");
        wide = await page.EvaluateAsync<string>("""
            () => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
                     .slice(0, 5).map(e => e.tagName + '.' + e.className + '#' + e.id + ' ' + Math.round(e.getBoundingClientRect().right)
                                           + ' ' + (e.textContent || '').slice(0, 30)).join(' | ')
            """);
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"),
            "no horizontal scrolling at 200 % text: " + wide);
        var box = await page.Locator("#liste > li").First.BoundingBoxAsync();
        Assert.True(box!.Width <= 360);
        Assert.True(await page.Locator("#liste > li h3").First.IsVisibleAsync());
    }

    [Fact]
    public async Task The_national_programme_filter_narrows_the_results_like_the_api()
    {
        var page = await SearchGueretAsync();
        await page.GetByText("Filtres").ClickAsync();
        var before = await ShownTotalAsync(page);
        await page.GetByRole(AriaRole.Group, new() { Name = "Dispositifs nationaux" })
            .GetByLabel("France Services", new() { Exact = true }).CheckAsync();
        var centre = await CentreAsync("23096");
        var (expected, total) = await ExpectedAsync(centre.Lat, centre.Lon, new { programmes = new[] { "FRANCE_SERVICES" } });
        await page.WaitForFunctionAsync(
            $"() => location.search.includes('programmes=FRANCE_SERVICES') "
            + $"&& document.querySelector('#etat').textContent.startsWith('{total}')");
        Assert.Equal(expected, await ShownIdsAsync(page));
        Assert.InRange(total, 1, before - 1);
        Assert.Empty(await BrowserFixture.AxeViolationsAsync(page));
    }

    [Theory]
    [InlineData("rdv", "prise_rdv", "withOnlineBooking", "Rendez-vous en ligne possible")]
    [InlineData("accessibilite", "fiche_acces_libre", "withAccessibilityInfo", "Accessibilité du bâtiment décrite (acceslibre)")]
    public async Task Online_booking_and_accessibility_information_keep_the_places_that_have_them(
        string parameter, string column, string argument, string label)
    {
        // Around the commune of the first place that has one.
        var commune = await browser.Server.ScalarAsync<string>(
            $"SELECT commune_code FROM sites WHERE {column} IS NOT NULL ORDER BY id LIMIT 1");
        var page = await browser.NewPageAsync();
        await page.GotoAsync($"/?commune={commune}");
        await WaitForResultsAsync(page);
        var before = await ShownTotalAsync(page);
        await page.GetByText("Filtres").ClickAsync();
        await page.GetByLabel(label).CheckAsync();
        var centre = await CentreAsync(commune);
        var variables = new Dictionary<string, object?> { [argument] = true };
        var (expected, total) = await ExpectedAsync(centre.Lat, centre.Lon, variables);
        await page.WaitForFunctionAsync(
            $"() => location.search.includes('{parameter}=1') && document.querySelector('#etat').textContent.startsWith('{total}')");
        Assert.Equal(expected, await ShownIdsAsync(page));
        Assert.InRange(total, 1, before - 1);
        // Each card then links its booking page or its accessibility page.
        var links = parameter == "rdv" ? "Prendre rendez-vous" : "Accessibilité du bâtiment";
        foreach (var card in await page.Locator("#liste > li").AllAsync()) Assert.Equal(1, await card.GetByText(links).CountAsync());
        // The address keeps the filter: a reload shows the same places.
        await page.ReloadAsync();
        await page.WaitForFunctionAsync($"() => document.querySelector('#etat').textContent.startsWith('{total}')");
        Assert.True(await page.GetByLabel(label).IsCheckedAsync());
        Assert.Equal(expected, await ShownIdsAsync(page));
    }

    private async Task<(List<string> Ids, int Total)> ByNameAsync(string text, object? extra = null)
    {
        var variables = new Dictionary<string, object?> { ["search"] = text };
        foreach (var p in extra?.GetType().GetProperties() ?? []) variables[p.Name] = p.GetValue(extra);
        var data = await ApiAsync("""
            query($search: String!, $programmes: [DispositifProgrammeNational!]) {
              sites(search: $search, programmes: $programmes, first: 20) { totalCount edges { node { id } } } }
            """, variables);
        var ids = data["sites"]!["edges"]!.AsArray().Select(e => e!["node"]!["id"]!.GetValue<string>()).ToList();
        return (ids, data["sites"]!["totalCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_text_that_is_no_commune_finds_the_places_by_their_name()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync("/");
        await page.Locator("body[data-ready]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        var input = page.GetByLabel(SearchLabel);
        await input.FillAsync("médiathèque");
        // The proposals hold places too, each opening its page.
        await page.Locator("#suggestions .option-lieu").First.WaitForAsync();
        await input.PressAsync("Escape");
        await input.PressAsync("Enter");
        var (expected, total) = await ByNameAsync("médiathèque");
        Assert.True(total > 20);
        await page.WaitForFunctionAsync($"() => document.querySelector('#etat').textContent.startsWith('{total}')");
        Assert.Contains("dont le nom ou l'adresse contient « médiathèque »", await page.Locator("#etat").InnerTextAsync());
        Assert.Equal(expected, await ShownIdsAsync(page));
        Assert.Contains("nom=m%C3%A9diath%C3%A8que", page.Url);
        // The next page of results.
        await page.GetByRole(AriaRole.Button, new() { Name = "Afficher plus de lieux" }).ClickAsync();
        await page.WaitForFunctionAsync("() => document.querySelectorAll('#liste > li').length > 20");
        Assert.Empty(await BrowserFixture.AxeViolationsAsync(page));

        // A shared address with a filter restores both.
        await page.GotoAsync("/?nom=m%C3%A9diath%C3%A8que&programmes=CONSEILLERS_NUMERIQUES");
        (expected, total) = await ByNameAsync("médiathèque", new { programmes = new[] { "CONSEILLERS_NUMERIQUES" } });
        await page.WaitForFunctionAsync($"() => document.querySelector('#etat').textContent.startsWith('{total}')");
        Assert.Equal(expected, await ShownIdsAsync(page));
        Assert.Equal("médiathèque", await input.InputValueAsync());
    }

    [Fact]
    public async Task Choosing_a_proposed_place_opens_its_page()
    {
        var id = await browser.Server.ScalarAsync<long>("SELECT id FROM sites WHERE nom = 'France services Boussac'");
        var page = await browser.NewPageAsync();
        await page.GotoAsync("/");
        await page.Locator("body[data-ready]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        var input = page.GetByRole(AriaRole.Combobox, new() { Name = SearchLabel });
        await input.FillAsync("France services Boussac");
        var option = page.GetByRole(AriaRole.Option, new() { NameRegex = new("^Lieu : France services Boussac, ") });
        await option.WaitForAsync();
        // By keyboard: down to the place, then Enter.
        var index = await option.EvaluateAsync<int>("o => [...o.parentElement.children].indexOf(o)");
        for (var i = 0; i <= index; i++) await input.PressAsync("ArrowDown");
        Assert.Equal($"suggestion-{index}", await input.GetAttributeAsync("aria-activedescendant"));
        await input.PressAsync("Enter");
        await page.WaitForURLAsync($"**/lieux/{id}-france-services-boussac");
        Assert.Equal("France services Boussac", await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).InnerTextAsync());
    }
}
