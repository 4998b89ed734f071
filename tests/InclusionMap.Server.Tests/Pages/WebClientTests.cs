using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using AngleSharp.Html.Parser;
using InclusionMap.Testing;

namespace InclusionMap.Server.Tests.Pages;

/// <summary>The static pages and the maps' background setting, with no background style configured.</summary>
public sealed class WebClientTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Without_a_configured_style_the_maps_draw_our_commune_outlines()
    {
        var response = await server.Client.GetAsync("/maps/basemap.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        var options = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Null(options!["styleUrl"]);
        Assert.Null(options["attribution"]);
        // The helper every map imports, partner pages' widgets included.
        var basemap = await server.Client.GetAsync("/app/basemap.js");
        Assert.Equal("text/javascript", basemap.Content.Headers.ContentType!.MediaType);
        Assert.Equal("*", basemap.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [Fact]
    public async Task A_catalogue_within_one_sitemap_file_has_the_home_and_every_place_in_it()
    {
        XNamespace sitemap = "http://www.sitemaps.org/schemas/sitemap/0.9";
        var root = XDocument.Parse(await server.Client.GetStringAsync("/sitemap.xml")).Root!;
        Assert.Equal(sitemap + "urlset", root.Name);
        var locations = root.Elements(sitemap + "url").Select(u => u.Element(sitemap + "loc")!.Value).ToList();
        Assert.Equal(server.BaseAddress.ToString(), locations[0]);
        var places = locations.Count(l => l.Contains("/lieux/", StringComparison.Ordinal));
        Assert.Equal(await server.ScalarAsync<long>("SELECT count(*) FROM sites"), places);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.GetAsync("/sitemap-1.xml")).StatusCode);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/couverture")]
    [InlineData("/integrer")]
    public async Task Every_page_links_to_the_others_and_runs_only_its_own_modules(string path)
    {
        var page = await new HtmlParser().ParseDocumentAsync(await server.Client.GetStringAsync(path));
        var navigation = page.QuerySelectorAll("nav a").Select(a => a.GetAttribute("href")).ToList();
        Assert.Equal(["/", "/couverture", "/integrer"], navigation);
        Assert.Equal(path, page.QuerySelector("nav a[aria-current=page]")!.GetAttribute("href"));
        Assert.All(page.QuerySelectorAll("script"), s => Assert.StartsWith("/", s.GetAttribute("src")));
    }

    [Fact]
    public async Task The_integration_page_holds_the_live_widget_and_the_snippets()
    {
        var page = await new HtmlParser().ParseDocumentAsync(await server.Client.GetStringAsync("/integrer"));
        Assert.Equal("Intégrer la carte des lieux sur votre site", page.QuerySelector("h1")!.TextContent);
        Assert.NotNull(page.QuerySelector("inclusion-map#apercu"));
        Assert.NotNull(page.QuerySelector("script[src='/widget.js']"));
        Assert.NotNull(page.QuerySelector("textarea#code-widget[readonly]"));
        Assert.NotNull(page.QuerySelector("textarea#code-iframe[readonly]"));
        foreach (var option in new[] { "commune", "limit", "height", "map", "color", "background" })
            Assert.NotNull(page.QuerySelector($"label[for='{option}']"));
    }
}
