using System.Net;
using System.Text.RegularExpressions;
using InclusionMap.Data.Accounts;
using InclusionMap.Server.Accounts;
using InclusionMap.Server.Moderation;
using InclusionMap.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace InclusionMap.Server.Tests.Moderation;

/// <summary>
/// Moderation with the real components around it: mail through a real SMTP server (npm <c>smtp-server</c>) and
/// coordinators signing in through a real OpenID Connect provider (npm <c>oidc-provider</c> playing ProConnect). A
/// structure claims its place by the link mailed to an address its record lists, then marks it temporarily closed and
/// may change nothing else; a reporter gets the coordinator's answer by mail, and their address is then erased.
/// </summary>
public sealed partial class RealComponentsTests(RealComponentsTests.Server server) : IClassFixture<RealComponentsTests.Server>
{
    public sealed class Server : ModerationServer
    {
        public OidcStandIn Oidc { get; private set; } = null!;
        public SmtpCapture Smtp { get; private set; } = null!;

        public override async Task InitializeAsync()
        {
            Oidc = await OidcStandIn.StartAsync();
            Smtp = await SmtpCapture.StartAsync();
            await base.InitializeAsync();
        }

        protected override void Configure(WebApplicationBuilder builder)
        {
            base.Configure(builder);
            builder.Configuration.AddInMemoryCollection(Oidc.Settings());
            builder.Configuration.AddInMemoryCollection(Smtp.Settings());
        }

        public override async Task DisposeAsync()
        {
            await base.DisposeAsync();
            await Oidc.DisposeAsync();
            await Smtp.DisposeAsync();
        }

        /// <summary>The next message the SMTP server receives for <paramref name="email"/> (others are skipped).</summary>
        public async Task<MimeMessage> MailToAsync(string email)
        {
            while (true)
            {
                var (message, to, _) = await Smtp.NextAsync();
                if (to.Contains(email, StringComparer.OrdinalIgnoreCase)) return message;
            }
        }

        /// <summary>An invited account that set its password through the link it got by SMTP: a signed-in client.</summary>
        public async Task<HttpClient> SignedInAsync(string email, AccountRole role, params string[] departements)
        {
            await using (var scope = App.Services.CreateAsyncScope())
                await scope.ServiceProvider.GetRequiredService<AccountDirectory>().InviteAsync(email, role, departements, [], "cli:tests");
            var token = TestAccounts.LinkToken((await MailToAsync(email)).TextBody ?? "");
            var client = TestAccounts.NewClient(this);
            var set = await TestAccounts.AcceptInvitationAsync(client, token);
            Assert.Equal(HttpStatusCode.Redirect, set.StatusCode);
            return client;
        }
    }

    [GeneratedRegex(@"/revendiquer\?jeton=(?<token>iml_[A-Za-z0-9_-]{43})")]
    private static partial Regex ClaimLink();

    [Fact]
    public async Task A_structure_claims_its_place_through_the_mailed_link_marks_it_temporarily_closed_and_may_change_nothing_else()
    {
        var site = await server.ScalarAsync<long>(
            "SELECT id FROM sites WHERE retired_at IS NULL AND cardinality(courriels) > 0 "
            + "ORDER BY departement_code = '23' DESC, id LIMIT 1");
        var listed = await server.ScalarAsync<string>("SELECT courriels[1] FROM sites WHERE id = $1", site);
        var other = await server.ScalarAsync<long>("SELECT id FROM sites WHERE retired_at IS NULL AND id <> $1 ORDER BY id LIMIT 1", site);
        var anonymous = GraphQLCaller.Anonymous(server);
        const string claim = "mutation($id: ID!, $email: String!) { claimSite(input: {siteId: $id, email: $email}) { message } }";

        var (_, code, _) = await anonymous.ErrorAsync(claim, new { id = site.ToString(), email = "quelqu.un@example.fr" });
        Assert.Equal("BAD_USER_INPUT", code);
        await anonymous.DataAsync(claim, new { id = site.ToString(), email = listed.ToUpperInvariant() });
        var mail = await server.MailToAsync(listed);
        Assert.Contains("Gérer la fiche", mail.Subject);
        var token = ClaimLink().Match(mail.TextBody ?? "").Groups["token"].Value;
        Assert.NotEmpty(token);

        // Opening the link changes nothing (mail scanners open links); confirming uses it and signs in as a structure.
        var client = TestAccounts.NewClient(server);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(ModerationPages.ClaimPath + "?jeton=" + token)).StatusCode);
        var confirm = await TestAccounts.PostFormAsync(client, ModerationPages.ClaimPath + "?jeton=" + token, ModerationPages.ClaimPath,
            new() { ["jeton"] = token });
        Assert.Equal(HttpStatusCode.Redirect, confirm.StatusCode);
        Assert.Equal(ModerationPages.EditPath(site), confirm.Headers.Location?.OriginalString);
        Assert.Equal("structure", await server.ScalarAsync<string>("SELECT role FROM accounts WHERE normalized_email = upper($1)", listed));
        Assert.Equal([site], await server.ScalarAsync<long[]>("SELECT site_ids FROM accounts WHERE normalized_email = upper($1)", listed));
        Assert.Equal(1L,
            await server.ScalarAsync<long>("SELECT count(*) FROM audit_log WHERE action = 'site.claimed' AND target = 'site:' || $1",
                site.ToString()));
        var again = await TestAccounts.PostFormAsync(TestAccounts.NewClient(server), "/proposer-un-lieu", ModerationPages.ClaimPath,
            new() { ["jeton"] = token });
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);

        // Its page shows what a structure may change, and nothing else.
        var page = WebUtility.HtmlDecode(await client.GetStringAsync(ModerationPages.EditPath(site)));
        Assert.Contains(EditableFields.Label("temporarilyClosedFrom"), page);
        Assert.DoesNotContain(EditableFields.Label("nom"), page);
        var from = ModerationServer.Day(DateTimeOffset.UtcNow);
        var until = ModerationServer.Day(DateTimeOffset.UtcNow.AddDays(14));
        var saved = await client.PostAsync(ModerationPages.EditPath(site), new FormUrlEncodedContent(
        [
            new("__RequestVerificationToken", await TestAccounts.AntiforgeryTokenAsync(client, ModerationPages.EditPath(site))),
            new(FormValues.ShownField, "temporarilyClosedFrom"), new("temporarilyClosedFrom", from),
            new(FormValues.ShownField, "temporarilyClosedUntil"), new("temporarilyClosedUntil", until),
        ]));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var closure = (await anonymous.DataAsync(
            $$"""{ site(id: "{{site}}") { temporarilyClosedFrom temporarilyClosedUntil } }"""))["site"]!;
        Assert.Equal((from, until), (closure["temporarilyClosedFrom"]!.GetValue<string>(),
            closure["temporarilyClosedUntil"]!.GetValue<string>()));

        // Anything else, or another place, is refused (403) and writes nothing.
        var structure = await GraphQLCaller.OfSessionAsync(client);
        var history = await server.ScalarAsync<long>("SELECT count(*) FROM site_history");
        var (status, refused,
            _) = await structure.ErrorAsync("mutation($id: ID!) { updateSite(input: {id: $id, nom: \"Autre nom\"}) { id } }",
            new { id = site.ToString() });
        Assert.Equal((HttpStatusCode.Forbidden, "FORBIDDEN"), (status, refused));
        (status, refused,
            _) = await structure.ErrorAsync("mutation($id: ID!) { updateSite(input: {id: $id, horaires: \"Mo 10:00-11:00\"}) { id } }",
            new { id = other.ToString() });
        Assert.Equal((HttpStatusCode.Forbidden, "FORBIDDEN"), (status, refused));
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync(ModerationPages.EditPath(other))).StatusCode);
        Assert.Equal(history, await server.ScalarAsync<long>("SELECT count(*) FROM site_history"));
        // Without the antiforgery token, a session does not count.
        var (_, csrf,
            _) = await new GraphQLCaller(client)
                .ErrorAsync("mutation($id: ID!) { updateSite(input: {id: $id, horaires: \"Mo 10:00-11:00\"}) { id } }",
            new { id = site.ToString() });
        Assert.Equal("CSRF_TOKEN_REQUIRED", csrf);
    }

    [Fact]
    public async Task The_coordinators_answer_reaches_the_reporter_by_smtp_and_the_address_is_then_erased()
    {
        var site = await server.SiteInAsync("23", 12);
        await GraphQLCaller.Anonymous(server).DataAsync("mutation($id: ID!) { reportProblem(input: {siteId: $id, kind: WRONG_CONTACT, "
            + "message: \"Le numéro ne répond plus.\", email: \"reporter@example.fr\"}) { id } }", new { id = site.ToString() });
        var coordinator = await GraphQLCaller.OfSessionAsync(await server.SignedInAsync("coord.smtp.23@example.fr",
            AccountRole.Coordinator, "23"));
        var queue = await coordinator.DataAsync("{ moderationQueue(departement: \"23\") { reports { id siteId } } }");
        var report = queue["moderationQueue"]!["reports"]!
            .AsArray().Single(r => r!["siteId"]!.GetValue<string>() == site.ToString())!["id"]!.GetValue<string>();
        var resolved = (await coordinator.DataAsync("""
            mutation($id: ID!) {
              resolveReport(input: {id: $id, resolution: FIXED, answer: "Le numéro est corrigé, merci !"}) { status answer } }
            """, new { id = report }))["resolveReport"]!;
        Assert.Equal("FIXED", resolved["status"]!.GetValue<string>());
        var mail = await server.MailToAsync("reporter@example.fr");
        Assert.Contains("Le numéro est corrigé, merci !", mail.TextBody);
        Assert.Contains("La fiche a été corrigée.", mail.TextBody);
        Assert.Equal(0L, await server.ScalarAsync<long>("SELECT count(*) FROM report_entries WHERE report_id = $1 AND email IS NOT NULL",
            long.Parse(report)));
    }

    [Fact]
    public async Task A_coordinator_signs_in_through_the_oidc_provider_and_sees_its_queue()
    {
        const string email = "coord.oidc.87@example.fr";
        await using (var scope = server.App.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<AccountDirectory>().InviteAsync(email, AccountRole.Coordinator, ["87"], [],
                "cli:tests");
        var site = await server.SiteInAsync("87", 2);
        await GraphQLCaller.Anonymous(server).DataAsync("mutation($id: ID!) { reportProblem(input: {siteId: $id, kind: CLOSED}) { id } }",
            new { id = site.ToString() });

        var browser = TestAccounts.NewClient(server, followRedirects: true);
        var landed = await OidcStandIn.SignInAsync(browser, "proconnect-87", email, start: "/connexion/oidc?retour=/moderation");
        var page = WebUtility.HtmlDecode(await landed.Content.ReadAsStringAsync());
        Assert.True(landed.StatusCode == HttpStatusCode.OK && landed.RequestMessage!.RequestUri!.AbsolutePath == ModerationPages.QueuePath,
            $"{(int)landed.StatusCode} at {landed.RequestMessage?.RequestUri}: {page[..Math.Min(page.Length, 1500)]}");
        Assert.Contains("Département 87", page);
        Assert.Contains(await server.ScalarAsync<string>("SELECT nom FROM sites WHERE id = $1", site), page);
        Assert.Equal(1L,
            await server.ScalarAsync<long>(
            "SELECT count(*) FROM audit_log WHERE action = 'sign-in' AND actor = $1 AND details->>'method' = 'oidc'", email));
    }
}
