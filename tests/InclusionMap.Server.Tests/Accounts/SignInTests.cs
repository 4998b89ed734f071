using System.Net;
using InclusionMap.Data.Accounts;
using InclusionMap.Server.Accounts;
using InclusionMap.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace InclusionMap.Server.Tests.Accounts;

/// <summary>
/// Local accounts over real HTTP: an invitation mailed to the outbox, its link followed to set a password (which confirms
/// the email), signing in and out, lockout after repeated failures, antiforgery on every form, the session cookie's
/// attributes and its idle and absolute limits; every sign-in and write in the audit log.
/// </summary>
public sealed class SignInTests(SignInTests.Server server) : IClassFixture<SignInTests.Server>
{
    /// <summary>The test server with a clock the tests move forward.</summary>
    public sealed class Server : ServerFixture
    {
        public AdjustableClock Clock { get; } = new();

        protected override void Configure(WebApplicationBuilder builder)
        {
            builder.Services.AddSingleton<TimeProvider>(Clock);
            // The TLS proxy of the secure-cookie test runs on this machine: named, so its X-Forwarded-Proto is believed.
            builder.Configuration["InclusionMap:ReverseProxy:KnownProxies:0"] = "127.0.0.1";
        }
    }

    private Task<long> AuditCountAsync(string action, string email) =>
        server.ScalarAsync<long>("SELECT count(*) FROM audit_log WHERE action = $1 AND (actor = $2 OR target = 'account:' || $2)",
            action, email);

    [Fact]
    public async Task An_invitation_link_sets_a_password_once_signs_in_and_is_audited()
    {
        const string email = "jeanne.invitee@example.fr";
        var token = await TestAccounts.InviteAsync(server, email, AccountRole.Coordinator, ["23"]);
        var mail = Directory.GetFiles(server.OutboxDirectory, "*.eml").Select(f => MimeKit.MimeMessage.Load(f))
            .Single(m => m.To.ToString() == email);
        Assert.Equal("Votre invitation à InclusionMap", mail.Subject);
        Assert.Contains("département 23", mail.TextBody);
        Assert.Contains(AccountPages.InvitationPath + "?jeton=" + token, mail.TextBody);
        // Only the link's hash is stored.
        Assert.Equal(0L, await server.ScalarAsync<long>(
            "SELECT count(*) FROM one_time_links WHERE encode(hash, 'escape') LIKE '%' || $1 || '%'", token));

        var client = TestAccounts.NewClient(server);
        var form = await client.GetAsync(AccountPages.InvitationPath + "?jeton=" + token);
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        Assert.Contains(email, await form.Content.ReadAsStringAsync());
        var set = await TestAccounts.AcceptInvitationAsync(client, token);
        Assert.Equal(HttpStatusCode.Redirect, set.StatusCode);
        Assert.Equal(AccountPages.AccountPath, set.Headers.Location?.OriginalString);
        var account = await client.GetStringAsync(AccountPages.AccountPath);
        Assert.Contains(email, account);
        Assert.Contains("coordinateur", account);
        Assert.True(await server.ScalarAsync<bool>("SELECT email_confirmed FROM accounts WHERE email = $1", email));

        // The link served once: a second use is refused and changes nothing.
        var again = await TestAccounts.NewClient(server).GetAsync(AccountPages.InvitationPath + "?jeton=" + token);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Contains("ne fonctionne plus", await again.Content.ReadAsStringAsync());
        var hash = await server.ScalarAsync<string>("SELECT password_hash FROM accounts WHERE email = $1", email);
        var reuse = await TestAccounts.PostFormAsync(TestAccounts.NewClient(server), AccountPages.SignInPath, AccountPages.InvitationPath,
            new() { ["jeton"] = token, ["password"] = "Un autre mot de passe 2?", ["confirmation"] = "Un autre mot de passe 2?" });
        Assert.Equal(HttpStatusCode.BadRequest, reuse.StatusCode);
        Assert.Equal(hash, await server.ScalarAsync<string>("SELECT password_hash FROM accounts WHERE email = $1", email));

        Assert.Equal(1L, await AuditCountAsync(AuditActions.AccountInvited, email));
        Assert.Equal(1L, await AuditCountAsync(AuditActions.PasswordSet, email));
        Assert.Equal(1L, await AuditCountAsync(AuditActions.SignIn, email));
        Assert.Equal("127.0.0.1",
            await server.ScalarAsync<string>("SELECT address FROM audit_log WHERE action = 'sign-in' AND actor = $1", email));

        // Signing out ends the session; signing in again with the password works.
        var signOut = await TestAccounts.PostFormAsync(client, AccountPages.AccountPath, AccountPages.SignOutPath, []);
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        var after = await client.GetAsync(AccountPages.AccountPath);
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith(AccountPages.SignInPath + "?retour=", after.Headers.Location?.PathAndQuery);
        var signIn = await TestAccounts.SignInAsync(client, email);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(AccountPages.AccountPath)).StatusCode);
        Assert.Equal(1L, await AuditCountAsync(AuditActions.SignOut, email));
        Assert.Equal(2L, await AuditCountAsync(AuditActions.SignIn, email));
    }

    [Fact]
    public async Task A_weak_password_is_refused_in_french_and_the_link_keeps_working()
    {
        const string email = "weak.password@example.fr";
        var token = await TestAccounts.InviteAsync(server, email, AccountRole.Admin);
        var client = TestAccounts.NewClient(server);
        var weak = await TestAccounts.AcceptInvitationAsync(client, token, "court");
        Assert.Equal(HttpStatusCode.BadRequest, weak.StatusCode);
        Assert.Contains("au moins 12 caractères", await weak.Content.ReadAsStringAsync());
        Assert.Null(await server.ScalarAsync<object>("SELECT password_hash FROM accounts WHERE email = $1", email) as string);
        Assert.Equal(HttpStatusCode.Redirect, (await TestAccounts.AcceptInvitationAsync(client, token)).StatusCode);
    }

    [Fact]
    public async Task Repeated_wrong_passwords_lock_the_account_and_every_failure_is_audited()
    {
        const string email = "locked.out@example.fr";
        (await TestAccounts.SignedInAsync(server, email, AccountRole.Coordinator, ["87"])).Dispose();
        var client = TestAccounts.NewClient(server);
        for (var i = 0; i < 5; i++)
        {
            var wrong = await TestAccounts.SignInAsync(client, email, "Pas le bon mot de passe 0!");
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            Assert.Contains(AccountPages.SignInFailed, System.Net.WebUtility.HtmlDecode(await wrong.Content.ReadAsStringAsync()));
        }
        // Locked: even the right password is refused, with the same message (nothing tells a stranger which it was).
        var right = await TestAccounts.SignInAsync(client, email);
        Assert.Equal(HttpStatusCode.Unauthorized, right.StatusCode);
        Assert.Equal(6L, await AuditCountAsync(AuditActions.SignInFailed, email));
        Assert.Equal("locked out", await server.ScalarAsync<string>(
            "SELECT details->>'reason' FROM audit_log WHERE action = 'sign-in.failed' AND actor = $1 ORDER BY id DESC LIMIT 1", email));

        // An address without an account answers the same, and is audited as such.
        var unknown = await TestAccounts.SignInAsync(client, "nobody@example.fr");
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        Assert.Equal("unknown account", await server.ScalarAsync<string>(
            "SELECT details->>'reason' FROM audit_log WHERE action = 'sign-in.failed' AND actor = 'nobody@example.fr'"));
    }

    [Fact]
    public async Task An_account_whose_email_is_not_confirmed_cannot_sign_in()
    {
        const string email = "not.confirmed@example.fr";
        await TestAccounts.InviteAsync(server, email, AccountRole.Admin);
        // A password set without the mailed link (which is what confirms the address).
        await using (var scope = server.App.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Account>>();
            var account = (await users.FindByEmailAsync(email))!;
            Assert.True((await users.AddPasswordAsync(account, TestAccounts.Password)).Succeeded);
        }
        var response = await TestAccounts.SignInAsync(TestAccounts.NewClient(server), email);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("email not confirmed", await server.ScalarAsync<string>(
            "SELECT details->>'reason' FROM audit_log WHERE action = 'sign-in.failed' AND actor = $1", email));
    }

    [Fact]
    public async Task A_form_without_its_antiforgery_token_is_refused_and_writes_nothing()
    {
        const string email = "csrf.victim@example.fr";
        (await TestAccounts.SignedInAsync(server, email, AccountRole.Admin)).Dispose();
        var before = await server.ScalarAsync<long>("SELECT count(*) FROM audit_log");
        var client = TestAccounts.NewClient(server);
        var response = await client.PostAsync(AccountPages.SignInPath, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = email, ["password"] = TestAccounts.Password,
        }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain("   at ", await response.Content.ReadAsStringAsync());
        Assert.DoesNotContain(response.Headers.Where(h => h.Key == "Set-Cookie").SelectMany(h => h.Value),
            c => c.StartsWith(AccountsSetup.SessionCookie, StringComparison.Ordinal));
        Assert.Equal(before, await server.ScalarAsync<long>("SELECT count(*) FROM audit_log"));
    }

    [Fact]
    public async Task The_session_cookie_is_http_only_lax_and_secure_over_https()
    {
        var token = await TestAccounts.InviteAsync(server, "cookie.flags@example.fr", AccountRole.Admin);
        var client = TestAccounts.NewClient(server);
        var response = await TestAccounts.AcceptInvitationAsync(client, token);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"),
            c => c.StartsWith(AccountsSetup.SessionCookie + "=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", cookie.Replace("samesite", "", StringComparison.OrdinalIgnoreCase),
            StringComparison.OrdinalIgnoreCase);
        // No expiry on the cookie itself: the browser forgets it when it closes.
        Assert.DoesNotContain("expires=", cookie, StringComparison.OrdinalIgnoreCase);

        // Behind a TLS proxy on this machine (X-Forwarded-Proto), the cookie is Secure.
        var secureClient = TestAccounts.NewClient(server);
        var fields = new Dictionary<string, string>
        {
            ["email"] = "cookie.flags@example.fr", ["password"] = TestAccounts.Password,
            ["__RequestVerificationToken"] = await TestAccounts.AntiforgeryTokenAsync(secureClient, AccountPages.SignInPath),
        };
        using var post = new HttpRequestMessage(HttpMethod.Post, AccountPages.SignInPath) { Content = new FormUrlEncodedContent(fields) };
        post.Headers.Add("X-Forwarded-Proto", "https");
        var secure = await secureClient.SendAsync(post);
        Assert.Equal(HttpStatusCode.Redirect, secure.StatusCode);
        var secureCookie = Assert.Single(secure.Headers.GetValues("Set-Cookie"),
            c => c.StartsWith(AccountsSetup.SessionCookie + "=", StringComparison.Ordinal));
        Assert.Contains("; secure", secureCookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_session_ends_after_its_idle_time_and_after_its_absolute_limit_however_active()
    {
        var idle = await TestAccounts.SignedInAsync(server, "session.idle@example.fr", AccountRole.Admin);
        var active = await TestAccounts.SignedInAsync(server, "session.active@example.fr", AccountRole.Admin);
        try
        {
            // Defaults: 8 h idle, 24 h in all. Seven hours at a time, the active session slides; the idle one expires.
            server.Clock.Offset += TimeSpan.FromHours(7);
            Assert.Equal(HttpStatusCode.OK, (await active.GetAsync(AccountPages.AccountPath)).StatusCode);
            server.Clock.Offset += TimeSpan.FromHours(2);
            Assert.Equal(HttpStatusCode.Redirect, (await idle.GetAsync(AccountPages.AccountPath)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await active.GetAsync(AccountPages.AccountPath)).StatusCode);
            server.Clock.Offset += TimeSpan.FromHours(7);
            Assert.Equal(HttpStatusCode.OK, (await active.GetAsync(AccountPages.AccountPath)).StatusCode);
            server.Clock.Offset += TimeSpan.FromHours(7);
            Assert.Equal(HttpStatusCode.OK, (await active.GetAsync(AccountPages.AccountPath)).StatusCode);
            // 23 h since signing in, then 25 h: over the absolute limit although it was used an hour before.
            server.Clock.Offset += TimeSpan.FromHours(2);
            Assert.Equal(HttpStatusCode.Redirect, (await active.GetAsync(AccountPages.AccountPath)).StatusCode);
        }
        finally
        {
            server.Clock.Offset = TimeSpan.Zero;
            idle.Dispose();
            active.Dispose();
        }
    }
}
