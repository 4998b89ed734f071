using InclusionMap.Testing;
using Microsoft.AspNetCore.Builder;

namespace InclusionMap.Server.Tests.Tiles;

/// <summary>
/// The real server with a tile cache of 1 MiB (the smallest setting) and a tile budget large enough for thousands of tiles.
/// </summary>
public sealed class SmallTileCacheServer : ServerFixture
{
    public const long BoundBytes = 1024 * 1024;

    protected override void Configure(WebApplicationBuilder builder)
    {
        builder.Configuration["InclusionMap:Caches:TileMegabytes"] = "1";
        builder.Configuration["InclusionMap:RateLimits:Tiles:PermitLimit"] = "100000";
    }
}
