using InclusionMap.Testing;
using Microsoft.AspNetCore.Builder;

namespace InclusionMap.Server.Tests.Security;

/// <summary>The server with a list of partner origins allowed to frame <c>/embed</c>.</summary>
public sealed class EmbedOriginsServer : ServerFixture
{
    protected override void Configure(WebApplicationBuilder builder)
    {
        builder.Configuration["InclusionMap:Embed:AllowedOrigins:0"] = "https://mairie.example";
        builder.Configuration["InclusionMap:Embed:AllowedOrigins:1"] = "http://partenaire.example:8080/";
    }
}
