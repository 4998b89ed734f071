using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace InclusionMap.Testing;

/// <summary>
/// A producer of open data played by a real HTTP server (Kestrel on a loopback port): it publishes the current
/// content <see cref="Publish"/> gave each file name at <c>/{name}</c> with an <c>ETag</c> (its SHA-256) and a <c>Last-Modified</c>
/// (when it was last set), answers <c>304 Not Modified</c> to a matching <c>If-None-Match</c>, and counts what it answered.
/// </summary>
public sealed class ProducerServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, (byte[] Bytes, string ETag, DateTimeOffset Modified)> _files = new();

    private ProducerServer(WebApplication app) => _app = app;

    /// <summary>Every answer, in order: the path and the status code.</summary>
    public ConcurrentQueue<(string Path, int Status)> Answers { get; } = new();

    public Uri BaseAddress { get; private set; } = null!;

    public string Url(string name) => new Uri(BaseAddress, "/" + name).ToString();

    /// <summary>Publishes a new version of a file.</summary>
    public void Publish(string name, byte[] content) =>
        _files[name] = (content, $"\"{Convert.ToHexString(SHA256.HashData(content))[..16]}\"", DateTimeOffset.UtcNow.AddSeconds(-1));

    public static async Task<ProducerServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(System.Net.IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new ProducerServer(app);
        app.MapGet("/{name}", (string name, HttpContext http) =>
        {
            if (!server._files.TryGetValue(name, out var file))
            {
                server.Answers.Enqueue((http.Request.Path, 404));
                return Results.NotFound();
            }
            http.Response.Headers.ETag = file.ETag;
            http.Response.Headers.LastModified = file.Modified.ToString("R");
            if (http.Request.Headers.IfNoneMatch.Contains(file.ETag))
            {
                server.Answers.Enqueue((http.Request.Path, 304));
                return Results.StatusCode(StatusCodes.Status304NotModified);
            }
            server.Answers.Enqueue((http.Request.Path, 200));
            return Results.Bytes(file.Bytes, "text/csv");
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        server.BaseAddress = new Uri(address);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
