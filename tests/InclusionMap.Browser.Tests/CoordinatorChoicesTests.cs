using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace InclusionMap.Browser.Tests;

/// <summary>
/// The coordinators' page beyond the first analysis: what counts as help (by keyboard alone), the figures beside the
/// région's and France's with their definitions, the IFN and E2SFCA layers, and the print layout for élus.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class CoordinatorChoicesTests(BrowserFixture browser)
{
    private static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");

    private async Task<JsonNode> ApiAsync(string query)
    {
        var response = await browser.Server.Client.PostAsJsonAsync("/graphql", new { query });
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Null(body["errors"]);
        return body["data"]!;
    }

    [GeneratedRegex(@"\s")]
    private static partial Regex Spaces();

    /// <summary>Text without its spaces (French groups digits with narrow no-break spaces).</summary>
    private static string Bare(string text) => Spaces().Replace(text, "");

    private async Task<IPage> CreuseAsync(string query = "")
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync($"/couverture?departement=23{query}");
        await page.WaitForFunctionAsync("() => document.querySelector('#etat').textContent.startsWith('Département 23')");
        return page;
    }

    [Fact]
    public async Task What_counts_as_help_is_chosen_by_keyboard_and_reruns_the_analysis_and_its_files()
    {
        var page = await CreuseAsync();
        // What has the focus (its id, else its text) and its outline.
        async Task<string> FocusedAsync() => await page.EvaluateAsync<string>("""
            () => { const e = document.activeElement; return (e.id || e.textContent.trim()) + '|' + getComputedStyle(e).outlineStyle; }
            """);
        async Task TabToAsync(string start, int most)
        {
            for (var i = 0; i < most && !(await FocusedAsync()).StartsWith(start, StringComparison.Ordinal); i++)
                await page.Keyboard.PressAsync("Tab");
        }
        await page.Locator("#departement").FocusAsync();
        // Tab to « Ce qui compte comme aide », open it, tab to a service and check it with the space bar.
        await TabToAsync("Ce qui compte comme aide", 5);
        Assert.StartsWith("Ce qui compte comme aide : tous les lieux|", await FocusedAsync());
        Assert.DoesNotContain("|none", await FocusedAsync());
        await page.Keyboard.PressAsync("Enter");
        Assert.True(await page.Locator("#aide-choix").EvaluateAsync<bool>("d => d.open"));
        const string service = "services-AIDE_AUX_DEMARCHES_ADMINISTRATIVES";
        await TabToAsync(service, 30);
        Assert.StartsWith(service + "|", await FocusedAsync());
        Assert.DoesNotContain("|none", await FocusedAsync());
        await page.Keyboard.PressAsync("Space");
        await page.WaitForFunctionAsync("() => location.search.includes('services=AIDE_AUX_DEMARCHES_ADMINISTRATIVES')"
            + " && document.querySelector('#etat').textContent.startsWith('Département 23')");
        await AssertAnalysisAsync(page, "services: [AIDE_AUX_DEMARCHES_ADMINISTRATIVES]", "services=AIDE_AUX_DEMARCHES_ADMINISTRATIVES");

        // Then a national programme, on top.
        const string programme = "programmes-FRANCE_SERVICES";
        await TabToAsync(programme, 40);
        Assert.StartsWith(programme + "|", await FocusedAsync());
        await page.Keyboard.PressAsync("Space");
        await page.WaitForFunctionAsync("() => location.search.includes('programmes=FRANCE_SERVICES')"
            + " && document.querySelector('#etat').textContent.startsWith('Département 23')");
        Assert.Equal("lieux offrant Aide aux démarches administratives, relevant de France Services",
            await page.Locator("#aide-resume").InnerTextAsync());
        await AssertAnalysisAsync(page, "services: [AIDE_AUX_DEMARCHES_ADMINISTRATIVES], programmes: [FRANCE_SERVICES]",
            "services=AIDE_AUX_DEMARCHES_ADMINISTRATIVES&programmes=FRANCE_SERVICES");
        Assert.Empty(await BrowserFixture.AxeViolationsAsync(page));

        // The address restores the choice.
        await page.ReloadAsync();
        await page.WaitForFunctionAsync("() => document.querySelector('#etat').textContent.startsWith('Département 23')");
        Assert.True(await page.Locator($"#{service}").IsCheckedAsync());
        Assert.True(await page.Locator($"#{programme}").IsCheckedAsync());
        await AssertAnalysisAsync(page, "services: [AIDE_AUX_DEMARCHES_ADMINISTRATIVES], programmes: [FRANCE_SERVICES]",
            "services=AIDE_AUX_DEMARCHES_ADMINISTRATIVES&programmes=FRANCE_SERVICES");
    }

    /// <summary>The page shows the API's analysis for these arguments, and its files are made with the same choice.</summary>
    private async Task AssertAnalysisAsync(IPage page, string arguments, string query)
    {
        var coverage = (await ApiAsync($$"""
            { coverage(departementCode: "23", {{arguments}}) {
                summary { peopleInNeedBeyond } gaps(first: 1) { code name accessibility } suggestions { communeName } } }
            """))["coverage"]!;
        var gap = coverage["gaps"]![0]!;
        var first = page.Locator("#tableau tbody tr").First;
        Assert.StartsWith(gap["name"]!.GetValue<string>(), await first.Locator("th").InnerTextAsync());
        // The E2SFCA index, in its column.
        var accessibility = gap["accessibility"]!.GetValue<double>();
        Assert.Equal(accessibility.ToString("0.0", French), Bare(await first.Locator("td.acces").InnerTextAsync()));
        Assert.Contains(Bare(Math.Round(coverage["summary"]!["peopleInNeedBeyond"]!.GetValue<double>()).ToString("N0", French)),
            Bare(await page.Locator("#resume").InnerTextAsync()));
        Assert.StartsWith(coverage["suggestions"]![0]!["communeName"]!.GetValue<string>(),
            await page.Locator("#suggestions li").First.InnerTextAsync());
        foreach (var link in new[] { "#export-csv", "#export-analyse", "#export-png" })
            Assert.Contains(query, await page.Locator(link).GetAttributeAsync("href"));
        // The CSV the page links is the analysis of the same choice: its E2SFCA column holds the same index.
        var csv = await page.EvaluateAsync<string>("async () => await (await fetch(document.getElementById('export-csv').href)).text()");
        var row = csv.Split("\r\n").Single(l => l.StartsWith(gap["code"]!.GetValue<string>() + ",", StringComparison.Ordinal));
        Assert.Equal(accessibility.ToString("0.00", CultureInfo.InvariantCulture), row.Split(',')[^1]);
    }

    [Fact]
    public async Task The_departement_figures_sit_beside_the_region_and_france_each_explained()
    {
        var page = await CreuseAsync();
        const string fields = "code name population peopleInNeed illectronismRate sites sitesPer10000InNeed ifnMean";
        var data = await ApiAsync(
            $"{{ departement(code: \"23\") {{ figures {{ {fields} }} regionFigures {{ {fields} }} }} franceFigures {{ {fields} }} }}");
        var territories = new[] { data["departement"]!["figures"]!, data["departement"]!["regionFigures"]!, data["franceFigures"]! };
        var table = page.Locator("#chiffres table");
        Assert.Equal(["Chiffre", "Creuse", "Nouvelle-Aquitaine", "France"],
            (await table.Locator("thead th").AllInnerTextsAsync()).Select(t => t.Trim()));
        async Task<List<string>> RowAsync(string figure) =>
            [.. (await table.Locator($"tr[data-figure='{figure}'] td").AllInnerTextsAsync()).Select(Bare)];
        Assert.Equal(territories.Select(t => t["sites"]!.GetValue<int>().ToString(CultureInfo.InvariantCulture)), await RowAsync("sites"));
        Assert.Equal(territories.Select(t => Math.Round(t["population"]!.GetValue<double>()).ToString(CultureInfo.InvariantCulture)),
            await RowAsync("population"));
        Assert.Equal(territories.Select(t => (t["illectronismRate"]!.GetValue<double>() * 100).ToString("0.0", French) + "%"),
            await RowAsync("illectronismRate"));
        Assert.Equal(territories.Select(t => t["ifnMean"]!.GetValue<double>().ToString("0.0", French) + "sur10"),
            await RowAsync("ifnMean"));
        // Every figure says what it is, where it appears.
        foreach (var row in await table.Locator("tbody tr").AllAsync())
            Assert.True((await row.Locator("th .definition").InnerTextAsync()).Length > 40);
        Assert.Contains("La Mednum", await table.Locator("tr[data-figure='ifnMean'] .definition").InnerTextAsync());
        Assert.Contains("INSEE", await table.Locator("tr[data-figure='illectronismRate'] .definition").InnerTextAsync());
        // The table's columns too, below it.
        Assert.Equal(6, await page.Locator("#definitions dt").CountAsync());
        Assert.Contains("E2SFCA", await page.Locator("#definitions").InnerTextAsync());
        Assert.Empty(await BrowserFixture.AxeViolationsAsync(page));
    }

    [Theory]
    [InlineData("ifn", "Indice de fragilité numérique", "La Mednum")]
    [InlineData("acces", "Accessibilité de l'aide", "E2SFCA")]
    public async Task The_ifn_and_the_e2sfca_index_are_map_layers_with_their_legend_and_definition(
        string indicator, string label, string source)
    {
        var page = await CreuseAsync($"&carte={indicator}");
        await page.Locator($"#carte[data-indicator='{indicator}']")
            .WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 60_000 });
        await page.Locator("body[data-map-ready]").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 60_000 });
        Assert.Equal(indicator, await page.Locator("#indicateur").InputValueAsync());
        var definition = await page.Locator("#indicateur-definition").InnerTextAsync();
        Assert.StartsWith(label, definition);
        Assert.Contains(source, definition);
        Assert.Equal(7, await page.Locator("#legende li").CountAsync());
        Assert.StartsWith(label, await page.Locator("#carte-etat").InnerTextAsync());
        Assert.Empty(await BrowserFixture.AxeViolationsAsync(page));
    }

    [Fact]
    public async Task The_print_layout_for_elus_states_the_choice_and_carries_the_printable_map()
    {
        var page = await CreuseAsync("&seuil=15000");
        // window.print opens a dialog: here it only says it was called.
        await page.EvaluateAsync("() => { window.print = () => { document.body.dataset.printed = 'true'; }; }");
        await page.GetByRole(AriaRole.Button, new() { Name = "Imprimer pour les élus" }).ClickAsync();
        await page.Locator("body[data-printed]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        var map = page.Locator("#carte-impression");
        Assert.Equal(await page.Locator("#export-png").EvaluateAsync<string>("a => a.href"), await map.GetAttributeAsync("src"));
        Assert.True(await map.EvaluateAsync<int>("i => i.naturalWidth") > 1000);
        Assert.False(await map.IsVisibleAsync()); // on screen

        await page.EmulateMediaAsync(new() { Media = Media.Print });
        Assert.True(await map.IsVisibleAsync());
        Assert.False(await page.Locator("#choix").IsVisibleAsync());
        Assert.False(await page.Locator("#carte").IsVisibleAsync());
        Assert.False(await page.Locator(".site-header nav").IsVisibleAsync());
        var criteria = await page.Locator("#criteres-impression").InnerTextAsync();
        Assert.StartsWith("Creuse (23) — distance jugée trop grande : 15 km — ce qui compte comme aide : tous les lieux", criteria);
        Assert.True(await page.Locator("#chiffres").IsVisibleAsync());
        Assert.True(await page.Locator("#tableau").IsVisibleAsync());
        await page.EmulateMediaAsync(new() { Media = Media.Screen });
        Assert.False(await page.Locator("#criteres-impression").IsVisibleAsync());
    }
}
