using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using InclusionMap.Data.Accounts;
using InclusionMap.Server.Accounts;

namespace InclusionMap.Testing;

/// <summary>
/// Sends GraphQL over real HTTP as one kind of caller: anonymous, signed in with a personal API token
/// (<c>Authorization: Bearer</c>, made on <c>/compte</c> as a coordinator makes one), or signed in by a session cookie
/// with the antiforgery token a page gave (<c>X-CSRF-TOKEN</c>), as the web pages do.
/// </summary>
public sealed partial class GraphQLCaller(HttpClient client, string? antiforgery = null)
{
    public HttpClient Client { get; } = client;

    [GeneratedRegex(@"value=""(?<token>imt_[A-Za-z0-9_-]{43})""")]
    private static partial Regex ApiTokenField();

    /// <summary>POSTs a document; returns the status and the parsed body.</summary>
    public async Task<(HttpStatusCode Status, JsonNode Body)> SendAsync(string query, object? variables = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = JsonContent.Create(new { query, variables }) };
        if (antiforgery is not null) request.Headers.Add(AccountsSetup.AntiforgeryHeader, antiforgery);
        var response = await Client.SendAsync(request);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    /// <summary>The data of a document that must succeed.</summary>
    public async Task<JsonNode> DataAsync(string query, object? variables = null)
    {
        var (status, body) = await SendAsync(query, variables);
        if (status != HttpStatusCode.OK || body["errors"] is not null) throw new InvalidOperationException($"{(int)status}: {body}");
        return body["data"]!;
    }

    /// <summary>The single error code of a document that must fail.</summary>
    public async Task<(HttpStatusCode Status, string Code, JsonNode Body)> ErrorAsync(string query, object? variables = null)
    {
        var (status, body) = await SendAsync(query, variables);
        var code = body["errors"]?[0]?["extensions"]?["code"]?.GetValue<string>()
            ?? throw new InvalidOperationException($"No error: {(int)status} {body}");
        return (status, code, body);
    }

    public static GraphQLCaller Anonymous(ServerFixture server) => new(new HttpClient { BaseAddress = server.BaseAddress });

    /// <summary>
    /// A coordinator (or admin) invited, signed in, holding a personal API token made on <c>/compte</c>; calls with the token only.
    /// </summary>
    public static async Task<GraphQLCaller> WithApiTokenAsync(ServerFixture server, string email, AccountRole role,
        params string[] departements)
    {
        using var session = await TestAccounts.SignedInAsync(server, email, role, departements);
        var page = await TestAccounts.PostFormAsync(session, AccountPages.AccountPath, AccountPages.TokensPath,
            new() { ["nom"] = "tests", ["jours"] = "30" });
        var html = await page.Content.ReadAsStringAsync();
        var token = ApiTokenField().Match(html) is { Success: true } m ? m.Groups["token"].Value
            : throw new InvalidOperationException($"No API token on the page ({(int)page.StatusCode}): "
                + html[..Math.Min(html.Length, 400)]);
        var client = new HttpClient { BaseAddress = server.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return new GraphQLCaller(client);
    }

    /// <summary>An account invited and signed in by its session cookie; calls carry the antiforgery token of <c>/compte</c>.</summary>
    public static async Task<GraphQLCaller> WithSessionAsync(ServerFixture server, string email, AccountRole role,
        string[]? departements = null, long[]? sites = null)
    {
        var session = await TestAccounts.SignedInAsync(server, email, role, departements, sites);
        return await OfSessionAsync(session);
    }

    /// <summary>A client already signed in by its cookie, with the antiforgery token of <c>/compte</c>.</summary>
    public static async Task<GraphQLCaller> OfSessionAsync(HttpClient session) =>
        new(session, await TestAccounts.AntiforgeryTokenAsync(session, AccountPages.AccountPath));
}
