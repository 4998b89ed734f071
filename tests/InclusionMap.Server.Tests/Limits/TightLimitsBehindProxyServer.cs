using InclusionMap.Testing;
using Microsoft.AspNetCore.Builder;

namespace InclusionMap.Server.Tests.Limits;

/// <summary>
/// The small budgets of <see cref="TightLimitsServer"/>, behind a reverse proxy on 127.0.0.1 (its X-Forwarded-For is
/// believed).
/// </summary>
public sealed class TightLimitsBehindProxyServer : ServerFixture
{
    public const string Proxy = "127.0.0.1";

    protected override void Configure(WebApplicationBuilder builder)
    {
        TightLimitsServer.Apply(builder.Configuration);
        builder.Configuration["InclusionMap:ReverseProxy:KnownProxies:0"] = Proxy;
    }
}
