using InclusionMap.Testing;
using Microsoft.AspNetCore.Builder;

namespace InclusionMap.Server.Tests.Limits;

/// <summary>The real server with its default limits behind a TLS reverse proxy on this machine (127.0.0.1, configured as known).</summary>
public sealed class BehindLocalProxyServer : ServerFixture
{
    protected override void Configure(WebApplicationBuilder builder) =>
        builder.Configuration["InclusionMap:ReverseProxy:KnownProxies:0"] = "127.0.0.1";
}
