using System.Net;

namespace InclusionMap.Testing;

/// <summary>
/// A real OpenID Connect provider (npm <c>oidc-provider</c> 9, <c>tests/oidc-provider-stand-in</c>) playing ProConnect on a
/// free loopback port, with one confidential client whose redirect URI matches any loopback port.
/// </summary>
public sealed class OidcStandIn : IAsyncDisposable
{
    private readonly NodeServer _server;

    private OidcStandIn(NodeServer server) => _server = server;

    public const string ClientId = "inclusionmap-tests";
    public const string ClientSecret = "a-client-secret-for-the-tests-only-0123456789";

    public string Issuer => _server.Ready.GetProperty("issuer").GetString()!;

    /// <summary>The settings that make InclusionMap sign in through this provider (<c>InclusionMap:Oidc:*</c>).</summary>
    public Dictionary<string, string?> Settings() => new()
    {
        ["InclusionMap:Oidc:Authority"] = Issuer,
        ["InclusionMap:Oidc:ClientId"] = ClientId,
        ["InclusionMap:Oidc:ClientSecret"] = ClientSecret,
        ["InclusionMap:Oidc:DisplayName"] = "ProConnect",
    };

    public static async Task<OidcStandIn> StartAsync() =>
        new(await NodeServer.StartAsync("oidc-provider-stand-in", ClientId, ClientSecret));

    /// <summary>
    /// Signs in as a person would, following every redirect with <paramref name="client"/> (cookies on): InclusionMap's
    /// <c>/connexion/oidc</c>, the provider's form filled with this identity, back to InclusionMap. Returns the last answer.
    /// </summary>
    public static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string subject, string email, bool emailVerified = true,
        string start = "/connexion/oidc")
    {
        var form = await client.GetAsync(start);
        if (form.StatusCode != HttpStatusCode.OK
            || form.RequestMessage?.RequestUri?.AbsolutePath.StartsWith("/interaction/", StringComparison.Ordinal) != true)
            throw new InvalidOperationException(
                $"Expected the provider's form, got {(int)form.StatusCode} at {form.RequestMessage?.RequestUri}: "
                + await form.Content.ReadAsStringAsync());
        return await client.PostAsync(form.RequestMessage.RequestUri + "/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["sub"] = subject,
            ["email"] = email,
            ["email_verified"] = emailVerified ? "true" : "false",
        }));
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
