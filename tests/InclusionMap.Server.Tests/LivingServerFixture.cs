using InclusionMap.Testing;
using Microsoft.AspNetCore.Builder;

namespace InclusionMap.Server.Tests;

/// <summary>The real server over a copy of the seeded catalogue, looking for due sources every second.</summary>
public sealed class LivingServerFixture : ServerFixture
{
    protected override void Configure(WebApplicationBuilder builder)
    {
        builder.Configuration["InclusionMap:Living:SyncCheckSeconds"] = "1";
        // Readers under load come from one address; the budgets per address have their own tests (Limits/).
        builder.Configuration["InclusionMap:RateLimits:Search:PermitLimit"] = "1000000";
    }
}
