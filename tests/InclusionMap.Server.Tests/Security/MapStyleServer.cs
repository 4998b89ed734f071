using InclusionMap.Testing;
using Microsoft.AspNetCore.Builder;

namespace InclusionMap.Server.Tests.Security;

/// <summary>The server with a background map style configured on another origin, its fonts on a third.</summary>
public sealed class MapStyleServer : ServerFixture
{
    protected override void Configure(WebApplicationBuilder builder)
    {
        builder.Configuration["InclusionMap:Map:StyleUrl"] = "https://tuiles.example/styles/plan.json";
        builder.Configuration["InclusionMap:Map:Attribution"] = "© IGN";
        builder.Configuration["InclusionMap:Map:Origins:0"] = "https://polices.example";
    }
}
