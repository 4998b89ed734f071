using Microsoft.Playwright;

namespace InclusionMap.Browser.Tests;

/// <summary>The page of a place in a real Chromium: with and without JavaScript, on a phone, by keyboard alone, printed.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PlacePageTests(BrowserFixture browser)
{
    /// <summary>A place with hours, a phone number, a position and services: the page's every block has something to show.</summary>
    private Task<long> RichPlaceAsync() => browser.Server.ScalarAsync<long>("""
        SELECT id FROM sites WHERE horaires = 'Mo-Fr 09:00-12:00,14:00-17:00' AND telephone IS NOT NULL AND cardinality(services) > 1
           AND location IS NOT NULL AND departement_code NOT LIKE '97%' ORDER BY id LIMIT 1
        """);

    private static Task WaitReadyAsync(IPage page) =>
        page.Locator("body[data-ready]").WaitForAsync(new() { State = WaitForSelectorState.Attached });

    [Fact]
    public async Task The_page_is_complete_with_javascript_off()
    {
        var id = await RichPlaceAsync();
        var context = await browser.Browser.NewContextAsync(new()
        {
            BaseURL = browser.Server.BaseAddress.ToString(), JavaScriptEnabled = false, Locale = "fr-FR",
            ViewportSize = new() { Width = 1280, Height = 900 },
        });
        var page = await context.NewPageAsync();
        var response = await page.GotoAsync($"/lieux/{id}");
        Assert.Equal(200, response!.Status);
        Assert.Matches($"/lieux/{id}-[a-z0-9-]+$", page.Url);
        Assert.Equal(await browser.Server.ScalarAsync<string>("SELECT nom FROM sites WHERE id = $1", id),
            await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).InnerTextAsync());
        var hours = page.GetByRole(AriaRole.Table);
        Assert.True(await hours.IsVisibleAsync());
        Assert.Equal(7, await hours.Locator("tbody tr").CountAsync());
        Assert.Equal(1, await hours.Locator("tr[aria-current='date']").CountAsync());
        Assert.True(await page.GetByRole(AriaRole.Link, new() { NameRegex = new("^Itinéraire") }).IsVisibleAsync());
        Assert.True(await page.Locator(".contacts a[href^='tel:']").IsVisibleAsync());
        // What needs JavaScript stays out of the way: no dead button, no empty map box.
        Assert.False(await page.GetByRole(AriaRole.Button, new() { Name = "Copier le lien" }).IsVisibleAsync());
        Assert.False(await page.GetByRole(AriaRole.Button, new() { Name = "Imprimer la fiche" }).IsVisibleAsync());
        Assert.False(await page.Locator("#carte-lieu").IsVisibleAsync());
        Assert.False(await page.GetByRole(AriaRole.Button, new() { Name = "Afficher la carte" }).IsVisibleAsync());
        Assert.True(await page.GetByRole(AriaRole.Link, new() { Name = "Voir sur OpenStreetMap" }).IsVisibleAsync());
        await context.CloseAsync();
    }

    [Theory]
    [InlineData(1280, 900)]
    [InlineData(360, 640)]
    public async Task The_page_and_its_map_have_no_accessibility_violation_nor_overflow(int width, int height)
    {
        var id = await RichPlaceAsync();
        var page = await browser.NewPageAsync(width, height);
        var problems = await PageProblems.WatchAsync(page);
        await page.GotoAsync($"/lieux/{id}");
        await WaitReadyAsync(page);
        Assert.Empty(await BrowserFixture.AxeViolationsAsync(page));
        // The map, over the instance's background (here our commune outlines): on a wide screen drawn once it comes into
        // view; on a phone, on demand, so that the first visit does not load the map library.
        var toggle = page.GetByRole(AriaRole.Button, new() { Name = "Afficher la carte" });
        if (width < 896)
        {
            Assert.False(await page.Locator("#carte-lieu").IsVisibleAsync());
            Assert.Equal("false", await toggle.GetAttributeAsync("aria-expanded"));
            await toggle.ClickAsync();
            Assert.Equal("true", await page.Locator("#afficher-carte").GetAttributeAsync("aria-expanded"));
            Assert.Equal("Masquer la carte", await page.Locator("#afficher-carte").InnerTextAsync());
        }
        else Assert.False(await toggle.IsVisibleAsync());
        await page.Locator("#carte-lieu").ScrollIntoViewIfNeededAsync();
        await PageProblems.WaitAsync(page, "body[data-map-ready]", problems);
        Assert.Equal("communes", await page.Locator("#carte-lieu").GetAttributeAsync("data-basemap"));
        Assert.Empty(await BrowserFixture.AxeViolationsAsync(page));
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"),
            $"no horizontal scrolling at {width} px");
        await problems.AssertNoneAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), $"inclusionmap-lieu-{width}.png"), FullPage = true });
    }

    [Fact]
    public async Task The_page_works_with_the_keyboard_alone_and_copies_its_address()
    {
        var id = await RichPlaceAsync();
        var context = await browser.Browser.NewContextAsync(new()
        {
            BaseURL = browser.Server.BaseAddress.ToString(), Locale = "fr-FR", ViewportSize = new() { Width = 1280, Height = 900 },
            Permissions = ["clipboard-read", "clipboard-write"],
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync($"/lieux/{id}");
        await WaitReadyAsync(page);
        // The map (in view at this size) is loaded first, so that its controls are on the way as a visitor meets them.
        await page.Locator("body[data-map-ready]").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 60_000 });
        // What has the focus (its text, else its label, else its tag) and its outline.
        async Task<string> FocusedAsync() => await page.EvaluateAsync<string>("""
            () => { const e = document.activeElement;
              return ((e.textContent || '').trim() || e.getAttribute('aria-label') || e.tagName) + '|' + getComputedStyle(e).outlineStyle; }
            """);

        await page.Keyboard.PressAsync("Tab");
        Assert.StartsWith("Aller au contenu|", await FocusedAsync());
        Assert.DoesNotContain("|none", await FocusedAsync());
        await page.Keyboard.PressAsync("Enter");
        Assert.Equal("contenu", await page.EvaluateAsync<string>("() => document.activeElement.id"));
        // Every link and button in order, each with a visible focus, until « Copier le lien ».
        var visited = new List<string>();
        for (var i = 0; i < 60 && !visited.LastOrDefault("").StartsWith("Copier le lien", StringComparison.Ordinal); i++)
        {
            await page.Keyboard.PressAsync("Tab");
            var focused = await FocusedAsync();
            Assert.DoesNotContain("|none", focused);
            visited.Add(focused);
        }
        Assert.StartsWith("Copier le lien", visited.Last());
        Assert.Contains(visited, v => v.StartsWith("Itinéraire", StringComparison.Ordinal));
        await page.Keyboard.PressAsync("Enter");
        await page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Lien copié" }).WaitForAsync();
        var canonical = await page.Locator("link[rel=canonical]").GetAttributeAsync("href");
        Assert.Equal(canonical, await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));
        Assert.Equal(canonical + "#contenu", page.Url); // the page's own address, where the skip link went
        await context.CloseAsync();
    }

    [Fact]
    public async Task The_printed_page_keeps_the_content_and_spells_out_its_links()
    {
        var id = await RichPlaceAsync();
        var page = await browser.NewPageAsync();
        await page.GotoAsync($"/lieux/{id}");
        await WaitReadyAsync(page);
        await page.EmulateMediaAsync(new() { Media = Media.Print });
        Assert.False(await page.Locator(".site-header nav").IsVisibleAsync());
        Assert.False(await page.GetByRole(AriaRole.Button, new() { Name = "Imprimer la fiche" }).IsVisibleAsync());
        Assert.False(await page.Locator("#carte-lieu").IsVisibleAsync());
        Assert.True(await page.GetByRole(AriaRole.Table).IsVisibleAsync());
        // On paper a link's address follows its text.
        var directions = page.GetByRole(AriaRole.Link, new() { NameRegex = new("^Itinéraire") });
        var href = await directions.GetAttributeAsync("href");
        const string after = "a => getComputedStyle(a, '::after').content";
        Assert.Equal($"\" <{href}>\"", await directions.EvaluateAsync<string>(after));
        await page.EmulateMediaAsync(new() { Media = Media.Screen });
        Assert.True(await page.Locator(".site-header nav").IsVisibleAsync());
        Assert.DoesNotContain(href!, await directions.EvaluateAsync<string>(after));
    }

    [Fact]
    public async Task A_result_of_the_search_and_a_place_of_the_widget_lead_to_the_page_of_the_place()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync("/?commune=23096&q=Gu%C3%A9ret");
        await page.WaitForFunctionAsync("() => document.querySelectorAll('#liste > li').length > 0");
        var first = page.Locator("#liste > li").First;
        var id = await first.GetAttributeAsync("data-id");
        var name = await first.Locator("h3 a").InnerTextAsync();
        await first.Locator("h3 a").ClickAsync();
        await page.WaitForURLAsync($"**/lieux/{id}-*");
        Assert.Equal(name, await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).InnerTextAsync());
        // The way back: the search around the place's commune.
        await page.GetByRole(AriaRole.Link, new() { NameRegex = new("^Autres lieux près de") }).ClickAsync();
        await page.WaitForFunctionAsync("() => document.querySelectorAll('#liste > li').length > 0");
        Assert.Contains("commune=23096", page.Url);

        await page.GotoAsync("/embed?commune=23096&limit=3&map=off");
        await page.Locator("inclusion-map[data-state='ready']").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        var place = page.Locator("inclusion-map li").First;
        Assert.Equal($"{browser.Server.BaseAddress.ToString().TrimEnd('/')}/lieux/{await place.GetAttributeAsync("data-id")}",
            await place.Locator("h3 a").GetAttributeAsync("href"));
    }
}
