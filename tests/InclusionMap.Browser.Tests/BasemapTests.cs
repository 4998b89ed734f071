using Microsoft.Playwright;

namespace InclusionMap.Browser.Tests;

/// <summary>
/// Every map over the configured background style, with its credit and within the Content-Security-Policy; and the
/// commune outlines again when the style cannot be reached.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class BasemapTests(BrowserFixture browser, BasemapServer server) : IClassFixture<BasemapServer>
{
    private async Task<IPage> NewPageAsync()
    {
        var context = await browser.Browser.NewContextAsync(new()
        {
            BaseURL = server.BaseAddress.ToString(), Locale = "fr-FR", ViewportSize = new() { Width = 1280, Height = 900 },
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(20_000);
        return page;
    }

    /// <param name="path">The page.</param>
    /// <param name="map">The map's container.</param>
    /// <param name="ready">The page's signal that its map is drawn.</param>
    [Theory]
    [InlineData("/?commune=23096", "#carte", "body[data-map-ready]")]
    [InlineData("/couverture?departement=23", "#carte", "body[data-map-ready]")]
    [InlineData("/embed?commune=23096&limit=3", "inclusion-map .carte", "inclusion-map[data-map='ready']")]
    [InlineData("/lieux/", "#carte-lieu", "body[data-map-ready]")]
    public async Task Every_map_draws_over_the_configured_style_with_its_credit(string path, string map, string ready)
    {
        if (path == "/lieux/") path += await server.ScalarAsync<long>("SELECT min(id) FROM sites WHERE location IS NOT NULL");
        var before = server.StyleRequests;
        var page = await NewPageAsync();
        var problems = await PageProblems.WatchAsync(page);
        await page.GotoAsync(path);
        // The place page draws its map once it comes into view.
        if (path.StartsWith("/lieux/", StringComparison.Ordinal)) await page.Locator(map).ScrollIntoViewIfNeededAsync();
        await PageProblems.WaitAsync(page, ready, problems);
        Assert.Equal("configured", await page.Locator(map).GetAttributeAsync("data-basemap"));
        Assert.True(server.StyleRequests > before);
        Assert.Contains($"Fond de carte : {BasemapServer.Attribution}",
            await page.Locator($"{map} .maplibregl-ctrl-attrib-inner").TextContentAsync());
        await problems.AssertNoneAsync();
    }

    [Fact]
    public async Task An_unreachable_style_leaves_the_commune_outlines()
    {
        var page = await NewPageAsync();
        await page.RouteAsync(server.StyleUrl, route => route.AbortAsync());
        await page.GotoAsync("/?commune=23096");
        await page.Locator("body[data-map-ready]").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 60_000 });
        Assert.Equal("communes", await page.Locator("#carte").GetAttributeAsync("data-basemap"));
        Assert.DoesNotContain("Fond de carte", await page.Locator(".maplibregl-ctrl-attrib-inner").TextContentAsync());
    }
}
