using System.Net.Http.Json;
using System.Text.Json.Nodes;
using InclusionMap.Server.Catalogue;
using InclusionMap.Testing;
using Microsoft.Extensions.Options;

namespace InclusionMap.Server.Tests.Security;

public sealed class MapStyleTests(MapStyleServer server) : IClassFixture<MapStyleServer>
{
    private static Dictionary<string, string> Csp(HttpResponseMessage response) =>
        response.Headers.GetValues("Content-Security-Policy").Single()
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .ToDictionary(d => d.Split(' ')[0], d => d[(d.IndexOf(' ') + 1)..]);

    [Fact]
    public async Task The_configured_style_is_given_to_the_maps_and_its_origins_alone_are_allowed_to_load()
    {
        var options = await server.Client.GetFromJsonAsync<JsonObject>("/maps/basemap.json");
        Assert.Equal("https://tuiles.example/styles/plan.json", options!["styleUrl"]!.GetValue<string>());
        Assert.Equal("© IGN", options["attribution"]!.GetValue<string>());
        var place = await server.ScalarAsync<long>("SELECT min(id) FROM sites");
        foreach (var path in new[] { "/", "/couverture", "/embed?commune=23096", "/integrer", $"/lieux/{place}" })
        {
            var csp = Csp(await server.Client.GetAsync(path));
            Assert.Equal("'self' https://tuiles.example https://polices.example", csp["connect-src"]);
            Assert.Equal("'self' data: https://tuiles.example https://polices.example", csp["img-src"]);
            // Nothing else opens: no script, style or worker from there.
            Assert.Equal(("'self'", "'self'", "'self'"), (csp["script-src"], csp["style-src"], csp["worker-src"]));
        }
    }

    [Theory]
    [InlineData("javascript:alert(1)", "© IGN", null, "InclusionMap:Map:StyleUrl")]
    [InlineData("ftp://tuiles.example/style.json", "© IGN", null, "InclusionMap:Map:StyleUrl")]
    [InlineData("https://tuiles.example/style.json", null, null, "InclusionMap:Map:Attribution")]
    [InlineData("https://tuiles.example/style.json", "© IGN", "https://polices.example/fonts", "InclusionMap:Map:Origins")]
    [InlineData("https://tuiles.example/style.json", "© IGN", "'unsafe-inline'", "InclusionMap:Map:Origins")]
    [InlineData("https://tuiles.example/style.json", "© IGN", "https://polices.example; script-src *", "InclusionMap:Map:Origins")]
    public async Task A_bad_map_setting_stops_the_server_at_start_naming_it(
        string style, string? attribution, string? origin, string named)
    {
        var settings = new CatalogueSettings
        {
            ConnectionString = "Host=/nonexistent;Database=none",
            StateDirectory = Path.GetTempPath(),
            DataDirectory = TestCluster.DataDirectory,
        };
        var error = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var app = InclusionMapApp.Build(settings, ["--urls", "http://127.0.0.1:0"], b =>
            {
                b.Configuration["InclusionMap:Map:StyleUrl"] = style;
                if (attribution is not null) b.Configuration["InclusionMap:Map:Attribution"] = attribution;
                if (origin is not null) b.Configuration["InclusionMap:Map:Origins:0"] = origin;
            });
            await app.StartAsync();
            await app.StopAsync();
        });
        Assert.Contains(named, error.Message);
    }
}
