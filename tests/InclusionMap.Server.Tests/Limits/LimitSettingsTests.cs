using InclusionMap.Server.Catalogue;
using InclusionMap.Testing;
using Microsoft.Extensions.Options;

namespace InclusionMap.Server.Tests.Limits;

/// <summary>A limit set out of its range stops the server at start, with a message naming the setting.</summary>
public sealed class LimitSettingsTests
{
    [Theory]
    [InlineData("InclusionMap:RateLimits:Search:PermitLimit", "0", "InclusionMap:RateLimits:Search:PermitLimit")]
    [InlineData("InclusionMap:RateLimits:Tiles:Window", "00:00:00", "InclusionMap:RateLimits:Tiles:Window")]
    [InlineData("InclusionMap:RateLimits:AnalysisConcurrency", "0", "InclusionMap:RateLimits:AnalysisConcurrency")]
    [InlineData("InclusionMap:RateLimits:AnalysisQueue", "-1", "InclusionMap:RateLimits:AnalysisQueue")]
    [InlineData("InclusionMap:ReverseProxy:KnownProxies:0", "proxy.example",
        "InclusionMap:ReverseProxy:KnownProxies: 'proxy.example' is not an IP address")]
    [InlineData("InclusionMap:ReverseProxy:KnownNetworks:0", "10.0.0.0/33",
        "InclusionMap:ReverseProxy:KnownNetworks: '10.0.0.0/33' is not a network")]
    [InlineData("InclusionMap:Caches:CoverageMegabytes", "0", "InclusionMap:Caches:CoverageMegabytes")]
    public async Task A_limit_out_of_range_stops_the_server_at_start(string setting, string value, string message)
    {
        var settings = new CatalogueSettings
        {
            ConnectionString = "Host=/nonexistent;Database=none",
            StateDirectory = Path.GetTempPath(),
            DataDirectory = TestCluster.DataDirectory,
        };
        var error = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var app = InclusionMapApp.Build(settings, ["--urls", "http://127.0.0.1:0"], b => b.Configuration[setting] = value);
            await app.StartAsync();
            await app.StopAsync();
        });
        Assert.Contains(message, error.Message);
    }
}
