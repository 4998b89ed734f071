using InclusionMap.Server.Catalogue;
using InclusionMap.Testing;
using Microsoft.Extensions.Options;

namespace InclusionMap.Server.Tests.Security;

public sealed class EmbedOriginsTests(EmbedOriginsServer server) : IClassFixture<EmbedOriginsServer>
{
    [Fact]
    public async Task Configured_origins_and_ours_alone_may_frame_the_embed_page()
    {
        var embed = await server.Client.GetAsync("/embed?commune=23096");
        Assert.Contains("frame-ancestors 'self' https://mairie.example http://partenaire.example:8080",
            embed.Headers.GetValues("Content-Security-Policy").Single());
        Assert.False(embed.Headers.Contains("X-Frame-Options"));
        var home = await server.Client.GetAsync("/");
        Assert.Contains("frame-ancestors 'none'", home.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Theory]
    [InlineData("*")]
    [InlineData("https://*.example.fr")]
    [InlineData("https://mairie.example/widget")]
    [InlineData("'unsafe-inline'")]
    [InlineData("mairie.example")]
    [InlineData("ftp://mairie.example")]
    [InlineData("https://mairie.example; script-src *")]
    public async Task A_value_that_is_not_an_origin_stops_the_server_at_start(string origin)
    {
        var settings = new CatalogueSettings
        {
            ConnectionString = "Host=/nonexistent;Database=none",
            StateDirectory = Path.GetTempPath(),
            DataDirectory = TestCluster.DataDirectory,
        };
        var error = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var app = InclusionMapApp.Build(settings, ["--urls", "http://127.0.0.1:0"],
                b => b.Configuration["InclusionMap:Embed:AllowedOrigins:0"] = origin);
            await app.StartAsync();
            await app.StopAsync();
        });
        Assert.Contains($"InclusionMap:Embed:AllowedOrigins: '{origin}' is not an origin", error.Message);
    }
}
