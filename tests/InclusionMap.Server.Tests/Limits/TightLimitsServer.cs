using System.Globalization;
using InclusionMap.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;

namespace InclusionMap.Server.Tests.Limits;

/// <summary>
/// The real server with small budgets per client address and minute (<see cref="Searches"/> searches,
/// <see cref="Analyses"/> analyses, <see cref="Maps"/> maps, <see cref="Tiles"/> tiles), one analysis computed at a time
/// and one waiting. No proxy is configured: the connection's address is the client.
/// </summary>
public sealed class TightLimitsServer : ServerFixture
{
    public const int Searches = 3, Analyses = 2, Maps = 2, Tiles = 3;

    protected override void Configure(WebApplicationBuilder builder) => Apply(builder.Configuration);

    public static void Apply(IConfiguration configuration)
    {
        foreach (var (name, permits) in new[] { ("Search", Searches), ("Analysis", Analyses), ("Maps", Maps), ("Tiles", Tiles) })
        {
            configuration[$"InclusionMap:RateLimits:{name}:PermitLimit"] = permits.ToString(CultureInfo.InvariantCulture);
            configuration[$"InclusionMap:RateLimits:{name}:Window"] = "00:01:00";
        }
        configuration["InclusionMap:RateLimits:AnalysisConcurrency"] = "1";
        configuration["InclusionMap:RateLimits:AnalysisQueue"] = "1";
    }
}
