using System.Net;
using System.Text.RegularExpressions;
using InclusionMap.Data.Accounts;
using InclusionMap.Server.Accounts;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace InclusionMap.Testing;

/// <summary>
/// Accounts on a test server, made the way people make them: an invitation through the server's own
/// <see cref="AccountDirectory"/>, its mail read from the outbox, the link followed over HTTP to set a password.
/// </summary>
public static partial class TestAccounts
{
    public const string Password = "Un mot de passe solide 1!";

    [GeneratedRegex(@"jeton=(?<token>iml_[A-Za-z0-9_-]{43})")]
    private static partial Regex LinkToken();

    [GeneratedRegex(@"name=""__RequestVerificationToken"" value=""(?<token>[^""]+)""")]
    private static partial Regex AntiforgeryField();

    /// <summary>Invites an account (as the command line would) and returns the one-time token of the link it was mailed.</summary>
    public static async Task<string> InviteAsync(ServerFixture server, string email, AccountRole role, string[]? departements = null,
        long[]? sites = null)
    {
        await using var scope = server.App.Services.CreateAsyncScope();
        var directory = scope.ServiceProvider.GetRequiredService<AccountDirectory>();
        await directory.InviteAsync(email, role, departements ?? [], sites ?? [], "cli:tests");
        return LastLinkToken(server.OutboxDirectory, email);
    }

    /// <summary>The token of the newest link mailed to <paramref name="email"/> in an outbox folder.</summary>
    public static string LastLinkToken(string outbox, string email)
    {
        foreach (var file in new DirectoryInfo(outbox).GetFiles("*.eml").OrderByDescending(f => f.Name, StringComparer.Ordinal))
        {
            var message = MimeMessage.Load(file.FullName);
            if (message.To.Mailboxes.Any(m => m.Address == email)) return LinkToken(message.TextBody ?? "");
        }
        throw new InvalidOperationException($"No mail to {email} in {outbox}.");
    }

    public static string LinkToken(string text) =>
        LinkToken().Match(text) is { Success: true } m
            ? m.Groups["token"].Value
            : throw new InvalidOperationException("No link in: " + text);

    /// <summary>A client that keeps cookies and does not follow redirects (tests look at each answer).</summary>
    public static HttpClient NewClient(ServerFixture server, bool followRedirects = false) =>
        new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = followRedirects, UseCookies = true })
        {
            BaseAddress = server.BaseAddress,
        };

    /// <summary>The antiforgery token of the first form of a page.</summary>
    public static async Task<string> AntiforgeryTokenAsync(HttpClient client, string path)
    {
        var page = await client.GetStringAsync(path);
        return AntiforgeryField().Match(page) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups["token"].Value)
            : throw new InvalidOperationException($"No antiforgery token on {path}: {page[..Math.Min(page.Length, 500)]}");
    }

    /// <summary>Posts a form of a page as a browser would: with the page's antiforgery token.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string pagePath, string action,
        Dictionary<string, string> fields)
    {
        fields["__RequestVerificationToken"] = await AntiforgeryTokenAsync(client, pagePath);
        return await client.PostAsync(action, new FormUrlEncodedContent(fields));
    }

    /// <summary>Follows an invitation link and sets <paramref name="password"/>: the client is then signed in.</summary>
    public static Task<HttpResponseMessage> AcceptInvitationAsync(HttpClient client, string token, string password = Password) =>
        PostFormAsync(client, AccountPages.InvitationPath + "?jeton=" + token, AccountPages.InvitationPath,
            new() { ["jeton"] = token, ["password"] = password, ["confirmation"] = password });

    /// <summary>An invited account that has set its password, and a client signed in as it.</summary>
    public static async Task<HttpClient> SignedInAsync(ServerFixture server, string email, AccountRole role, string[]? departements = null,
        long[]? sites = null)
    {
        var token = await InviteAsync(server, email, role, departements, sites);
        var client = NewClient(server);
        var response = await AcceptInvitationAsync(client, token);
        if (response.StatusCode != HttpStatusCode.Redirect)
            throw new InvalidOperationException($"Setting the password answered {(int)response.StatusCode}");
        return client;
    }

    /// <summary>Signs in with a password on /connexion.</summary>
    public static Task<HttpResponseMessage> SignInAsync(HttpClient client, string email, string password = Password) =>
        PostFormAsync(client, AccountPages.SignInPath, AccountPages.SignInPath, new() { ["email"] = email, ["password"] = password });
}
