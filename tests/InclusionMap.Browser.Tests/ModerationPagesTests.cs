using System.Globalization;
using System.Text.RegularExpressions;
using InclusionMap.Data.Accounts;
using InclusionMap.Server.Accounts;
using InclusionMap.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using MimeKit;

namespace InclusionMap.Browser.Tests;

/// <summary>
/// Corrections from the field, end to end in a real Chromium, driven from the keyboard, against the real server with a
/// real OpenID Connect provider (npm <c>oidc-provider</c> playing ProConnect) and a real SMTP server: a resident reports
/// wrong hours, the coordinator of that département signs in through the provider, sees the report and fixes the hours,
/// and the residents' page shows them with the update date; a structure claims its place through the mailed link and
/// marks it temporarily closed; a coordinator of another département is refused. Every page has no axe violation and
/// no Content-Security-Policy violation.
/// </summary>
public sealed partial class ModerationPagesTests(ModerationPagesTests.Fixture fixture) : IClassFixture<ModerationPagesTests.Fixture>
{
    public sealed class Fixture : IAsyncLifetime
    {
        public OidcStandIn Oidc { get; private set; } = null!;
        public SmtpCapture Smtp { get; private set; } = null!;
        public Server App { get; private set; } = null!;
        public IPlaywright Playwright { get; private set; } = null!;
        public IBrowser Browser { get; private set; } = null!;

        /// <summary>The server, with sign-in through the provider and mail through the SMTP server.</summary>
        public sealed class Server(Dictionary<string, string?> settings) : ServerFixture
        {
            protected override void Configure(WebApplicationBuilder builder) => builder.Configuration.AddInMemoryCollection(settings);
        }

        public async Task InitializeAsync()
        {
            Oidc = await OidcStandIn.StartAsync();
            Smtp = await SmtpCapture.StartAsync();
            App = new Server(new(Oidc.Settings()
                .Concat(Smtp.Settings())) { ["InclusionMap:RateLimits:Contribution:PermitLimit"] = "1000" });
            await App.InitializeAsync();
            Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
            Browser = await Playwright.Chromium.LaunchAsync(new() { ExecutablePath = BrowserFixture.ChromiumPath(), Headless = true,
                Args = BrowserFixture.ChromiumArgs });
        }

        /// <summary>A French page watching for Content-Security-Policy violations; a phone's screen unless told otherwise.</summary>
        public async Task<IPage> NewPageAsync(int width = 390, int height = 844)
        {
            var context = await Browser.NewContextAsync(new()
            {
                BaseURL = App.BaseAddress.ToString(), ViewportSize = new() { Width = width, Height = height }, Locale = "fr-FR",
                    TimezoneId = "Europe/Paris",
            });
            var page = await context.NewPageAsync();
            page.SetDefaultTimeout(20_000);
            await page.AddInitScriptAsync("""
                window.__violations = [];
                document.addEventListener('securitypolicyviolation',
                  (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`), true);
                """);
            return page;
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

        public async Task InviteAsync(string email, AccountRole role, params string[] departements)
        {
            await using var scope = App.App.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<AccountDirectory>().InviteAsync(email, role, departements, [], "cli:tests");
            await MailToAsync(email);
        }

        public async Task DisposeAsync()
        {
            await Browser.DisposeAsync();
            Playwright.Dispose();
            await App.DisposeAsync();
            await Oidc.DisposeAsync();
            await Smtp.DisposeAsync();
        }
    }

    [GeneratedRegex(@"/revendiquer\?jeton=iml_[A-Za-z0-9_-]{43}")]
    private static partial Regex ClaimLink();

    /// <summary>No axe violation (WCAG 2.1 A and AA) and no Content-Security-Policy violation on the page as it is.</summary>
    private static async Task AssertAccessibleAsync(IPage page)
    {
        Assert.Empty(await BrowserFixture.AxeViolationsAsync(page));
        Assert.Empty(await page.EvaluateAsync<string[]>("() => window.__violations"));
    }

    /// <summary>Focuses an element and presses a key, as a keyboard user does.</summary>
    private static async Task PressAsync(ILocator target, string key)
    {
        await target.FocusAsync();
        await target.PressAsync(key);
    }

    private static async Task TypeAsync(ILocator field, string text)
    {
        await field.FocusAsync();
        await field.PressAsync("Control+A");
        await field.PressAsync("Delete");
        await field.PressSequentiallyAsync(text);
    }

    /// <summary>The residents' page around a place: it is the first result (at 0 m).</summary>
    private async Task<ILocator> ResidentsCardAsync(IPage page, long site)
    {
        var (lat, lon) = (await fixture.App.ScalarAsync<double>("SELECT latitude FROM sites WHERE id = $1", site),
            await fixture.App.ScalarAsync<double>("SELECT longitude FROM sites WHERE id = $1", site));
        await page.GotoAsync(string.Create(CultureInfo.InvariantCulture, $"/?lat={lat}&lon={lon}"));
        var card = page.Locator($"#lieu-{site}");
        await card.WaitForAsync();
        return card;
    }

    /// <summary>Signs in through the provider from /connexion, as a person does; lands on <paramref name="back"/>.</summary>
    private static async Task SignInWithProConnectAsync(IPage page, string subject, string email, string back)
    {
        await page.GotoAsync("/connexion?retour=" + Uri.EscapeDataString(back));
        await AssertAccessibleAsync(page);
        await PressAsync(page.GetByRole(AriaRole.Link, new() { Name = "Se connecter avec ProConnect" }), "Enter");
        await page.GetByLabel("Identifiant").WaitForAsync();
        await TypeAsync(page.GetByLabel("Identifiant"), subject);
        await TypeAsync(page.GetByLabel("Adresse", new() { Exact = true }), email);
        await PressAsync(page.GetByRole(AriaRole.Button, new() { Name = "Se connecter" }), "Enter");
        // A chain of redirects through the provider, and the server's own calls to it (token, userinfo): on a loaded
        // machine this can take longer than one page's default timeout. The caller waits for the page's content.
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == back,
            new() { Timeout = 60_000, WaitUntil = WaitUntilState.Commit });
    }

    [Fact]
    public async Task A_resident_reports_wrong_hours_and_the_coordinator_signed_in_through_the_provider_fixes_them()
    {
        var site = await fixture.App.ScalarAsync<long>(
            "SELECT id FROM sites WHERE departement_code = '23' AND retired_at IS NULL AND latitude IS NOT NULL "
            + "ORDER BY id OFFSET 2 LIMIT 1");
        var name = await fixture.App.ScalarAsync<string>("SELECT nom FROM sites WHERE id = $1", site);

        // The resident, on a phone: the card's link, the form, from the keyboard.
        var resident = await fixture.NewPageAsync();
        var card = await ResidentsCardAsync(resident, site);
        await PressAsync(card.GetByRole(AriaRole.Link, new() { Name = "Signaler un problème sur " + name }), "Enter");
        await resident.GetByRole(AriaRole.Heading, new() { Name = "Signaler un problème" }).WaitForAsync();
        await AssertAccessibleAsync(resident);
        await PressAsync(resident.GetByLabel("Les horaires sont faux"), "Space");
        await TypeAsync(resident.GetByLabel("Précisez (facultatif)"), "Ouvert du lundi au vendredi de 9 h à 17 h maintenant.");
        await PressAsync(resident.GetByRole(AriaRole.Button, new() { Name = "Envoyer le signalement" }), "Enter");
        await resident.GetByText("Votre signalement a été transmis").WaitForAsync();
        await AssertAccessibleAsync(resident);

        // The coordinator of the Creuse signs in through ProConnect, sees the report, fixes the hours, resolves it.
        await fixture.InviteAsync("coordination.creuse@example.fr", AccountRole.Coordinator, "23");
        var coordinator = await fixture.NewPageAsync(1280, 900);
        await SignInWithProConnectAsync(coordinator, "proconnect-creuse", "coordination.creuse@example.fr", "/moderation");
        var report = coordinator.Locator("article", new() { HasText = name }).Filter(new() { HasText = "les horaires sont faux" });
        await report.GetByText("Ouvert du lundi au vendredi de 9 h à 17 h maintenant.").WaitForAsync();
        await AssertAccessibleAsync(coordinator);
        await PressAsync(report.GetByRole(AriaRole.Link, new() { Name = "Corriger le lieu " + name }), "Enter");
        await coordinator.GetByRole(AriaRole.Heading, new() { Name = $"Modifier « {name} »" }).WaitForAsync();
        await AssertAccessibleAsync(coordinator);
        await TypeAsync(coordinator.GetByLabel("Horaires d'ouverture"), "Mo-Fr 09:00-17:00");
        await PressAsync(coordinator.GetByRole(AriaRole.Button, new() { Name = "Enregistrer" }), "Enter");
        await coordinator.GetByText("Modifications enregistrées.").WaitForAsync();
        await coordinator.GotoAsync("/moderation");
        report = coordinator.Locator("article", new() { HasText = name }).Filter(new() { HasText = "les horaires sont faux" });
        await TypeAsync(report.GetByLabel("Réponse (facultatif)"), "Merci, c'est corrigé.");
        await PressAsync(report.GetByRole(AriaRole.Button, new() { Name = "Corrigé" }), "Enter");
        await coordinator.GetByText("Signalement traité.").WaitForAsync();
        Assert.Equal(0, await coordinator.Locator("article", new() { HasText = name }).CountAsync());

        // The residents' page shows the new hours and the day they were updated.
        var later = await fixture.NewPageAsync();
        card = await ResidentsCardAsync(later, site);
        await PressAsync(card.Locator("summary"), "Enter");
        Assert.Equal("lundi : 09:00 – 17:00", await card.Locator("details.horaires li").First.InnerTextAsync());
        Assert.Equal("samedi : fermé", await card.Locator("details.horaires li").Nth(5).InnerTextAsync());
        var today = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris"))
            .ToString("d MMMM yyyy", CultureInfo.GetCultureInfo("fr-FR"));
        Assert.StartsWith("Informations mises à jour le " + today, await card.Locator(".maj").InnerTextAsync());
        await AssertAccessibleAsync(later);
    }

    [Fact]
    public async Task A_structure_claims_its_place_through_the_mailed_link_and_marks_it_temporarily_closed()
    {
        var site = await fixture.App.ScalarAsync<long>("""
            SELECT id FROM sites WHERE retired_at IS NULL AND latitude IS NOT NULL AND cardinality(courriels) > 0
             ORDER BY departement_code = '23' DESC, id OFFSET 1 LIMIT 1
            """);
        var (name, email) = (await fixture.App.ScalarAsync<string>("SELECT nom FROM sites WHERE id = $1", site),
            await fixture.App.ScalarAsync<string>("SELECT courriels[1] FROM sites WHERE id = $1", site));

        var page = await fixture.NewPageAsync();
        await page.GotoAsync($"/lieux/{site}/signaler");
        await PressAsync(page.GetByRole(AriaRole.Link, new() { Name = "Vous gérez ce lieu ? Mettez sa fiche à jour vous-même" }), "Enter");
        await page.GetByLabel("Adresse électronique du lieu").WaitForAsync();
        await AssertAccessibleAsync(page);
        await TypeAsync(page.GetByLabel("Adresse électronique du lieu"), email);
        await PressAsync(page.GetByRole(AriaRole.Button, new() { Name = "Recevoir le lien" }), "Enter");
        await page.GetByText("Un lien vient d'être envoyé à").WaitForAsync();

        var link = ClaimLink().Match((await fixture.MailToAsync(email)).TextBody ?? "").Value;
        Assert.NotEmpty(link);
        await page.GotoAsync(link);
        await AssertAccessibleAsync(page);
        await PressAsync(page.GetByRole(AriaRole.Button, new() { Name = "Gérer cette fiche" }), "Enter");
        await page.GetByRole(AriaRole.Heading, new() { Name = $"Modifier « {name} »" }).WaitForAsync();
        await AssertAccessibleAsync(page);
        Assert.Equal(0, await page.GetByLabel("Nom du lieu").CountAsync());

        var paris = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris"));
        await page.GetByLabel("Fermé temporairement à partir du").FillAsync(paris.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await page.GetByLabel("Fermé temporairement jusqu'au (inclus)").FillAsync(paris.AddDays(20).ToString("yyyy-MM-dd",
            CultureInfo.InvariantCulture));
        await PressAsync(page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer" }), "Enter");
        await page.GetByText("Modifications enregistrées.").WaitForAsync();

        var resident = await fixture.NewPageAsync();
        var card = await ResidentsCardAsync(resident, site);
        var french = CultureInfo.GetCultureInfo("fr-FR");
        var (first, last) = (paris.ToString("d MMMM yyyy", french), paris.AddDays(20).ToString("d MMMM yyyy", french));
        Assert.Equal($"Fermé temporairement du {first} au {last}.",
            await card.Locator(".fermeture").InnerTextAsync());
        await AssertAccessibleAsync(resident);
    }

    [Fact]
    public async Task A_resident_proposes_a_missing_place_from_the_results_and_reads_what_to_fix_first()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/?lat=46.1703&lon=1.8717");
        await page.Locator("#liste > li").First.WaitForAsync();
        await PressAsync(page.GetByRole(AriaRole.Link, new() { Name = "Un lieu manque sur la carte ? Proposez-le" }), "Enter");
        await page.GetByRole(AriaRole.Heading, new() { Name = "Proposer un lieu" }).WaitForAsync();
        await AssertAccessibleAsync(page);

        // Sent half filled in: the errors are listed, announced, and each field says its own.
        await TypeAsync(page.GetByLabel("Nom du lieu (obligatoire)"), "Atelier numérique du marché couvert");
        await TypeAsync(page.GetByLabel("Code postal (obligatoire)"), "23000");
        await TypeAsync(page.GetByLabel("Téléphone"), "12");
        await PressAsync(page.GetByRole(AriaRole.Button, new() { Name = "Envoyer la proposition" }), "Enter");
        await page.GetByRole(AriaRole.Alert).WaitForAsync();
        Assert.Equal("true", await page.GetByLabel("Téléphone").GetAttributeAsync("aria-invalid"));
        Assert.Equal("Atelier numérique du marché couvert", await page.GetByLabel("Nom du lieu (obligatoire)").InputValueAsync());
        await AssertAccessibleAsync(page);

        await TypeAsync(page.GetByLabel("Adresse (obligatoire)"), "Place du Marché");
        await TypeAsync(page.GetByLabel("Commune (obligatoire)"), "Guéret");
        await TypeAsync(page.GetByLabel("Téléphone"), "05 55 52 00 00");
        await PressAsync(page.GetByLabel("Aide aux démarches administratives"), "Space");
        await PressAsync(page.GetByRole(AriaRole.Button, new() { Name = "Envoyer la proposition" }), "Enter");
        await page.GetByText("Votre proposition a été transmise").WaitForAsync();
        Assert.Equal("+33555520000", await fixture.App.ScalarAsync<string>(
            "SELECT record->>'telephone' FROM suggestions WHERE record->>'nom' = 'Atelier numérique du marché couvert'"));
    }

    [Fact]
    public async Task A_coordinator_of_another_departement_is_refused()
    {
        var site = await fixture.App.ScalarAsync<long>(
            "SELECT id FROM sites WHERE departement_code = '23' AND retired_at IS NULL ORDER BY id LIMIT 1");
        await fixture.InviteAsync("coordination.haute-vienne@example.fr", AccountRole.Coordinator, "87");
        var page = await fixture.NewPageAsync(1280, 900);
        await SignInWithProConnectAsync(page, "proconnect-haute-vienne", "coordination.haute-vienne@example.fr", "/moderation");
        await page.GetByText("Département 87").WaitForAsync();

        var edit = await page.GotoAsync($"/moderation/lieux/{site}");
        Assert.Equal(403, edit!.Status);
        await page.GetByText("Votre compte ne permet pas cette action.").WaitForAsync();
        await AssertAccessibleAsync(page);
        var queue = await page.GotoAsync("/moderation?departement=23");
        Assert.Equal(403, queue!.Status);
    }
}
