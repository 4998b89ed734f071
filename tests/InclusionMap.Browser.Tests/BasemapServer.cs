using InclusionMap.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace InclusionMap.Browser.Tests;

/// <summary>
/// The real server with a background map configured (<c>InclusionMap:Map</c>), its style served by a host of its own on
/// another origin, as an IGN or OpenStreetMap style would be: a background layer of a colour of its own.
/// </summary>
public sealed class BasemapServer : ServerFixture
{
    public const string Attribution = "© Fond de test";
    public const string Colour = "#d4e6c3";
    private WebApplication? _styles;

    /// <summary>How many times a browser fetched the style.</summary>
    public int StyleRequests => _styleRequests;
    private int _styleRequests;

    public string StyleUrl { get; private set; } = "";

    protected override void Configure(WebApplicationBuilder builder)
    {
        var styles = WebApplication.CreateSlimBuilder();
        styles.WebHost.UseUrls("http://127.0.0.1:0");
        _styles = styles.Build();
        _styles.MapGet("/styles/plan.json", (HttpContext http) =>
        {
            Interlocked.Increment(ref _styleRequests);
            http.Response.Headers.AccessControlAllowOrigin = "*";
            return Results.Text($$"""
                { "version": 8, "name": "Plan de test", "sources": {},
                  "layers": [{ "id": "fond-plan", "type": "background", "paint": { "background-color": "{{Colour}}" } }] }
                """, "application/json");
        });
        // Started here, before the server reads its settings: the style's address must be known by then.
        _styles.StartAsync().GetAwaiter().GetResult();
        StyleUrl = _styles.Urls.First() + "/styles/plan.json";
        builder.Configuration["InclusionMap:Map:StyleUrl"] = StyleUrl;
        builder.Configuration["InclusionMap:Map:Attribution"] = Attribution;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_styles is not null) await _styles.DisposeAsync();
    }
}
