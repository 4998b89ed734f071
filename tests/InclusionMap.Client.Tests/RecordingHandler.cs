using System.Net;

namespace InclusionMap.Client.Tests;

/// <summary>Sends requests on, keeping what was sent and what came back (status and headers) for the tests to look at.</summary>
public sealed class RecordingHandler() : DelegatingHandler(new SocketsHttpHandler())
{
    public List<Exchange> Exchanges { get; } = [];

    public Exchange Last => Exchanges[^1];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        var response = await base.SendAsync(request, cancellationToken);
        Exchanges.Add(new Exchange(request.Method, request.RequestUri!, body, response.StatusCode,
            response.Headers.ETag?.Tag, response.Headers.CacheControl?.ToString(), response.Headers.Age,
            response.Content.Headers.ContentType?.MediaType));
        return response;
    }

    public sealed record Exchange(HttpMethod Method, Uri Uri, string? Body, HttpStatusCode Status, string? ETag, string? CacheControl,
        TimeSpan? Age, string? MediaType)
    {
        /// <summary>The GraphQL document sent, from the URL (GET) or the body (POST).</summary>
        public string Query => Method == HttpMethod.Get
            ? Uri.UnescapeDataString(Uri.Query.TrimStart('?').Split('&').First(p => p.StartsWith("query=", StringComparison.Ordinal))[6..])
            : System.Text.Json.JsonDocument.Parse(Body!).RootElement.GetProperty("query").GetString()!;

        /// <summary>The variables sent, as JSON.</summary>
        public System.Text.Json.JsonElement Variables => Method == HttpMethod.Get
            ? System.Text.Json.JsonDocument.Parse(Uri.UnescapeDataString(Uri.Query.TrimStart('?').Split('&')
                .First(p => p.StartsWith("variables=", StringComparison.Ordinal))[10..])).RootElement
            : System.Text.Json.JsonDocument.Parse(Body!).RootElement.GetProperty("variables");
    }
}
