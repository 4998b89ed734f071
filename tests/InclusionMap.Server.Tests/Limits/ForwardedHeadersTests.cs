using System.Net;

namespace InclusionMap.Server.Tests.Limits;

/// <summary>
/// Whose budget a request draws on when it carries <c>X-Forwarded-For</c>: the header is believed only from a configured
/// proxy; from anyone else it is ignored and the connection's address is the client.
/// </summary>
[Collection(TightLimitsCollection.Name)]
public sealed class ForwardedHeadersTests(TightLimitsServer direct, TightLimitsBehindProxyServer proxied)
    : IClassFixture<TightLimitsBehindProxyServer>
{
    private static async Task<HttpStatusCode> GetAsync(HttpClient client, string forwardedFor, string path = "/odata/Sites?$top=1")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path) { Headers = { { "X-Forwarded-For", forwardedFor } } };
        return (await client.SendAsync(request)).StatusCode;
    }

    [Fact]
    public async Task Without_a_configured_proxy_a_forged_address_does_not_buy_a_new_budget()
    {
        using var client = direct.From("127.0.0.31");
        for (var i = 1; i <= TightLimitsServer.Searches; i++)
            Assert.Equal(HttpStatusCode.OK, await GetAsync(client, $"203.0.113.{i}"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await GetAsync(client, "203.0.113.99"));

        // Nor does a forged X-Forwarded-Proto make the server believe it is reached over HTTPS.
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health") { Headers = { { "X-Forwarded-Proto", "https" } } };
        request.Headers.Host = "inclusionmap.example";
        Assert.False((await client.SendAsync(request)).Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task From_a_configured_proxy_each_forwarded_client_has_its_own_budget()
    {
        using var proxy = proxied.From(TightLimitsBehindProxyServer.Proxy);
        for (var i = 0; i < TightLimitsServer.Searches; i++)
            Assert.Equal(HttpStatusCode.OK, await GetAsync(proxy, "198.51.100.7"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await GetAsync(proxy, "198.51.100.7"));
        // Another client behind the same proxy.
        Assert.Equal(HttpStatusCode.OK, await GetAsync(proxy, "198.51.100.8"));
    }

    [Fact]
    public async Task Behind_a_configured_proxy_an_address_that_is_not_the_proxy_is_not_believed()
    {
        using var stranger = proxied.From("127.0.0.32");
        for (var i = 1; i <= TightLimitsServer.Searches; i++)
            Assert.Equal(HttpStatusCode.OK, await GetAsync(stranger, $"198.51.100.{20 + i}"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await GetAsync(stranger, "198.51.100.30"));
    }
}
