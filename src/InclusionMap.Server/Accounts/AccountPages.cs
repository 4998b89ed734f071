using System.Globalization;
using System.Security.Claims;
using InclusionMap.Data.Accounts;
using InclusionMap.Server.Accounts.Pages;
using InclusionMap.Server.Catalogue;
using InclusionMap.Server.Mail;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace InclusionMap.Server.Accounts;

/// <summary>
/// The account pages, French, rendered on the server (Razor components through <c>TypedResults.RazorComponent</c>), with
/// plain forms that work without JavaScript and carry an antiforgery token: <c>/connexion</c> (sign in with a password or
/// OpenID Connect, links from mails, sign out) and <c>/compte</c> (the account and its API tokens).
/// </summary>
public static class AccountPages
{
    public const string SignInPath = "/connexion";
    public const string SignOutPath = "/connexion/deconnexion";
    public const string InvitationPath = "/connexion/invitation";
    public const string PasswordResetPath = "/connexion/nouveau-mot-de-passe";
    public const string ForgotPasswordPath = "/connexion/mot-de-passe-oublie";
    public const string OidcPath = "/connexion/oidc";
    public const string OidcCallbackPath = "/connexion/oidc/retour";
    public const string OidcDonePath = "/connexion/oidc/fin";
    public const string AccountPath = "/compte";
    public const string TokensPath = "/compte/jetons";

    /// <summary>The policy of the account pages: signed in with a session cookie.</summary>
    public const string SessionPolicy = "session";

    public const string LinkNotUsable = "Ce lien ne fonctionne plus : il a déjà servi, a expiré ou a été remplacé par un lien plus récent.";
    public const string SignInFailed =
        "Adresse ou mot de passe incorrect, ou compte bloqué un moment après plusieurs essais. "
        + "Réessayez, ou demandez un nouveau mot de passe.";

    /// <summary>Durations offered for a new API token, in days (those within the configured maximum).</summary>
    private static readonly int[] TokenLifetimes = [30, 90, 180, 365, 730];

    public static string RevokeTokenPath(long id) => $"{TokensPath}/{id.ToString(CultureInfo.InvariantCulture)}/revoquer";

    /// <summary>
    /// Maps the pages. Returns the sign-in group (<c>/connexion</c>, every endpoint that takes a password, a link or an
    /// identity) so that a rate limiter can be put on it in one call.
    /// </summary>
    public static RouteGroupBuilder MapAccountPages(this IEndpointRouteBuilder app)
    {
        var signIn = app.MapGroup(SignInPath).WithTags("sign-in").ExcludeFromDescription();
        signIn.MapGet("", SignInForm);
        signIn.MapPost("", SignInAsync);
        // Authenticated first: the form's antiforgery token was issued to the signed-in account.
        signIn.MapPost("/deconnexion", SignOutAsync).RequireAuthorization(SessionPolicy);
        signIn.MapGet("/invitation", (HttpContext http, [FromQuery] string? jeton) =>
            PasswordForm(http, OneTimeLinkPurpose.Invitation, jeton));
        signIn.MapPost("/invitation", (HttpContext http, [FromForm] PasswordFields form) =>
            SetPasswordAsync(http, OneTimeLinkPurpose.Invitation, form));
        signIn.MapGet("/nouveau-mot-de-passe", (HttpContext http, [FromQuery] string? jeton) =>
            PasswordForm(http, OneTimeLinkPurpose.PasswordReset, jeton));
        signIn.MapPost("/nouveau-mot-de-passe", (HttpContext http, [FromForm] PasswordFields form) =>
            SetPasswordAsync(http, OneTimeLinkPurpose.PasswordReset, form));
        signIn.MapGet("/mot-de-passe-oublie", () => Page<ForgotPasswordPage>(new { Sent = false }));
        signIn.MapPost("/mot-de-passe-oublie", ForgotPasswordAsync);
        signIn.MapGet("/oidc", OidcChallenge);
        signIn.MapGet("/oidc/fin", OidcSignInAsync);

        var account = app.MapGroup(AccountPath).RequireAuthorization(SessionPolicy).ExcludeFromDescription();
        account.MapGet("", AccountAsync);
        account.MapPost("/jetons", CreateTokenAsync);
        account.MapPost("/jetons/{id:long}/revoquer", RevokeTokenAsync);
        return signIn;
    }

    /// <summary>The fields of the password forms.</summary>
    public sealed record PasswordFields(string? Jeton, string? Password, string? Confirmation);

    private static RazorComponentResult<T> Page<T>(object? parameters = null, int status = StatusCodes.Status200OK)
        where T : Microsoft.AspNetCore.Components.IComponent =>
        new(parameters ?? new { }) { StatusCode = status };

    private static IResult SignInForm(HttpContext http, IOptions<OidcOptions> oidc, [FromQuery] string? retour) =>
        Page<SignInPage>(new { OidcName = oidc.Value.Enabled ? oidc.Value.DisplayName : null, ReturnUrl = LocalOrNull(retour) });

    private static async Task<IResult> SignInAsync(HttpContext http, SignInManager<Account> signIn, CatalogueWriteDbContext db,
        IOptions<OidcOptions> oidc, [FromForm] string? email, [FromForm] string? password, [FromForm] string? retour)
    {
        email = (email ?? "").Trim();
        if (email.Length > AccountDirectory.MaxEmailLength) email = email[..AccountDirectory.MaxEmailLength];
        var account = email.Length == 0 ? null : await signIn.UserManager.FindByEmailAsync(email);
        var result = account is null || string.IsNullOrEmpty(password)
            ? Microsoft.AspNetCore.Identity.SignInResult.Failed
            : await signIn.PasswordSignInAsync(account, password, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            account!.LastSignInAt = DateTimeOffset.UtcNow;
            AuditLog.Add(db, http, AuditActions.SignIn, account, details: new { method = "password" });
            await db.SaveChangesAsync(http.RequestAborted);
            return TypedResults.LocalRedirect(LocalOrNull(retour) ?? AccountPath);
        }
        var reason = account is null ? "unknown account" : result.IsLockedOut ? (account.Revoked ? "revoked" : "locked out")
            : result.IsNotAllowed ? "email not confirmed" : "wrong password";
        AuditLog.Add(db, http, AuditActions.SignInFailed, account, email, AuditLog.AccountTarget(email),
            new { method = "password", reason });
        await db.SaveChangesAsync(http.RequestAborted);
        return Page<SignInPage>(new
        {
            OidcName = oidc.Value.Enabled ? oidc.Value.DisplayName : null, ReturnUrl = LocalOrNull(retour), Email = email,
            Errors = (IReadOnlyList<string>)[SignInFailed],
        }, StatusCodes.Status401Unauthorized);
    }

    private static async Task<IResult> SignOutAsync(HttpContext http, SignInManager<Account> signIn, CatalogueWriteDbContext db,
        [FromForm] string? retour)
    {
        if (await signIn.UserManager.GetUserAsync(http.User) is { } account)
        {
            AuditLog.Add(db, http, AuditActions.SignOut, account);
            await db.SaveChangesAsync(http.RequestAborted);
        }
        await signIn.SignOutAsync();
        return TypedResults.LocalRedirect(SignInPath);
    }

    private static async Task<IResult> PasswordForm(HttpContext http, OneTimeLinkPurpose purpose, string? jeton)
    {
        var db = http.RequestServices.GetRequiredService<CatalogueWriteDbContext>();
        var link = await OneTimeLinks.FindUsableAsync(db, jeton, purpose, http.RequestAborted);
        http.Response.Headers.CacheControl = "no-store";
        return Page<SetPasswordPage>(new
        {
            Purpose = purpose, Usable = link is not null, Token = jeton, link?.Email, MinLength = MinPasswordLength(http),
        }, link is null ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK);
    }

    private static async Task<IResult> SetPasswordAsync(HttpContext http, OneTimeLinkPurpose purpose, PasswordFields form)
    {
        var directory = http.RequestServices.GetRequiredService<AccountDirectory>();
        var db = http.RequestServices.GetRequiredService<CatalogueWriteDbContext>();
        http.Response.Headers.CacheControl = "no-store";
        IReadOnlyList<string> errors;
        Account? account = null;
        if (string.IsNullOrEmpty(form.Password) || form.Password != form.Confirmation)
            errors = ["Les deux mots de passe saisis ne sont pas identiques."];
        else (account, errors) = await directory.SetPasswordAsync(form.Jeton, purpose, form.Password, http, http.RequestAborted);
        if (account is null)
        {
            var link = await OneTimeLinks.FindUsableAsync(db, form.Jeton, purpose, http.RequestAborted);
            return Page<SetPasswordPage>(new
            {
                Purpose = purpose, Usable = link is not null, Token = form.Jeton, link?.Email, MinLength = MinPasswordLength(http),
                Errors = errors,
            }, StatusCodes.Status400BadRequest);
        }
        var signIn = http.RequestServices.GetRequiredService<SignInManager<Account>>();
        await signIn.SignInAsync(account, isPersistent: false, authenticationMethod: "password");
        account.LastSignInAt = DateTimeOffset.UtcNow;
        AuditLog.Add(db, http, AuditActions.SignIn, account, details: new { method = "password", link = purpose.ToString() });
        await db.SaveChangesAsync(http.RequestAborted);
        return TypedResults.LocalRedirect(AccountPath);
    }

    private static async Task<IResult> ForgotPasswordAsync(HttpContext http, AccountDirectory directory, ILoggerFactory logging,
        [FromForm] string? email)
    {
        try
        {
            await directory.RequestPasswordResetAsync(email ?? "", http, http.RequestAborted);
        }
        catch (MailNotSentException e)
        {
            // The page answers the same either way (it must not tell whether the address has an account).
            logging.CreateLogger(typeof(AccountPages)).LogError("Password reset mail not sent: {Reason}", e.Message);
        }
        return Page<ForgotPasswordPage>(new { Sent = true });
    }

    private static IResult OidcChallenge(IOptions<OidcOptions> oidc, SignInManager<Account> signIn, [FromQuery] string? retour)
    {
        if (!oidc.Value.Enabled) return TypedResults.NotFound();
        var done = OidcDonePath + (LocalOrNull(retour) is { } local ? "?retour=" + Uri.EscapeDataString(local) : "");
        // Identity's properties name the provider, without which GetExternalLoginInfoAsync finds no identity on the way back.
        var properties = signIn.ConfigureExternalAuthenticationProperties(AccountsSetup.OidcScheme, done);
        return TypedResults.Challenge(properties, [AccountsSetup.OidcScheme]);
    }

    /// <summary>
    /// After the provider: an identity already linked to an account signs in; otherwise its verified email must be an
    /// invited account's, which is then linked to it. Anything else is refused, with a page that says why and an audit row.
    /// </summary>
    private static async Task<IResult> OidcSignInAsync(HttpContext http, SignInManager<Account> signIn, CatalogueWriteDbContext db,
        IOptions<OidcOptions> options, [FromQuery] string? retour)
    {
        var oidc = options.Value;
        if (!oidc.Enabled) return TypedResults.NotFound();
        var info = await signIn.GetExternalLoginInfoAsync();
        if (info is null) return TypedResults.LocalRedirect(SignInPath);
        await http.SignOutAsync(IdentityConstants.ExternalScheme);
        var email = info.Principal.FindFirstValue(ClaimTypes.Email)?.Trim();
        var verified = string.Equals(info.Principal.FindFirstValue("email_verified"), "true", StringComparison.OrdinalIgnoreCase);
        var users = signIn.UserManager;

        var account = await users.FindByLoginAsync(info.LoginProvider, info.ProviderKey);
        var linked = account is not null;
        string? refusal = null;
        if (account is null)
        {
            if (string.IsNullOrEmpty(email)) refusal = "no email";
            else if (!verified && oidc.RequireVerifiedEmail) refusal = "email not verified";
            else if ((account = await users.FindByEmailAsync(email)) is null) refusal = "not invited";
        }
        if (account?.Revoked == true) refusal = "revoked";
        if (refusal is not null)
        {
            AuditLog.Add(db, http, AuditActions.SignInRefused, account, email ?? info.ProviderKey, AuditLog.AccountTarget(email),
                new { method = "oidc", provider = info.LoginProvider, subject = info.ProviderKey, reason = refusal });
            await db.SaveChangesAsync(http.RequestAborted);
            return Page<MessagePage>(new
            {
                Title = "Connexion refusée", Alert = true,
                Text = refusal switch
                {
                    "not invited" => $"Aucun compte InclusionMap n'a été ouvert pour l'adresse {email}. "
                        + "Les comptes sont créés sur invitation : "
                        + "demandez-en une à l'administrateur d'InclusionMap de votre territoire.",
                    "email not verified" =>
                        $"{oidc.DisplayName} n'a pas confirmé l'adresse {email} : elle ne peut pas servir à vous connecter.",
                    "revoked" => "Ce compte a été fermé. Adressez-vous à l'administrateur d'InclusionMap de votre territoire.",
                    _ => $"{oidc.DisplayName} n'a pas transmis d'adresse électronique : impossible de retrouver votre compte.",
                },
            }, StatusCodes.Status403Forbidden);
        }
        if (!linked)
        {
            var added = await users.AddLoginAsync(account!, info);
            if (!added.Succeeded) throw new AccountException(string.Join(" ", added.Errors.Select(e => e.Description)));
        }
        account!.EmailConfirmed = true;
        account.LastSignInAt = DateTimeOffset.UtcNow;
        await signIn.SignInAsync(account, isPersistent: false, authenticationMethod: "oidc");
        AuditLog.Add(db, http, AuditActions.SignIn, account,
            details: new { method = "oidc", provider = info.LoginProvider, subject = info.ProviderKey, linked = !linked });
        await users.UpdateAsync(account);
        return TypedResults.LocalRedirect(LocalOrNull(retour) ?? AccountPath);
    }

    private static async Task<IResult> AccountAsync(HttpContext http, UserManager<Account> users, IAuthorizationService authorization,
        CatalogueWriteDbContext db, IOptions<AccountOptions> options) =>
        await AccountPageAsync(http, users, authorization, db, options.Value);

    private static async Task<IResult> AccountPageAsync(HttpContext http, UserManager<Account> users, IAuthorizationService authorization,
        CatalogueWriteDbContext db, AccountOptions options, string? newSecret = null, string? newName = null,
        IReadOnlyList<string>? errors = null, int status = StatusCodes.Status200OK)
    {
        var account = await users.GetUserAsync(http.User);
        if (account is null) return TypedResults.LocalRedirect(SignInPath);
        var mayUseTokens = (await authorization.AuthorizeAsync(http.User, null, AccountOperation.UseApiTokens)).Succeeded;
        http.Response.Headers.CacheControl = "no-store";
        return Page<AccountPage>(new
        {
            Account = account,
            MayUseTokens = mayUseTokens,
            Tokens = mayUseTokens ? await ApiTokens.ActiveAsync(db, account.Id, http.RequestAborted) : [],
            LifetimeChoices = (IReadOnlyList<int>)[.. TokenLifetimes.Where(d => d <= options.ApiTokenMaxDays)],
            NewSecret = newSecret,
            NewSecretName = newName,
            Errors = errors ?? [],
        }, status);
    }

    private static async Task<IResult> CreateTokenAsync(HttpContext http, UserManager<Account> users, IAuthorizationService authorization,
        CatalogueWriteDbContext db, IOptions<AccountOptions> options, [FromForm] string? nom, [FromForm] string? jours)
    {
        if (!(await authorization.AuthorizeAsync(http.User, null, AccountOperation.UseApiTokens)).Succeeded) return Forbidden();
        var account = await users.GetUserAsync(http.User);
        if (account is null) return TypedResults.LocalRedirect(SignInPath);
        var name = (nom ?? "").Trim();
        var errors = new List<string>();
        if (name.Length is 0 or > ApiTokens.MaxNameLength)
            errors.Add($"Donnez au jeton un nom de 1 à {ApiTokens.MaxNameLength} caractères.");
        if (!int.TryParse(jours, NumberStyles.None, CultureInfo.InvariantCulture, out var days) || days < 1
            || days > options.Value.ApiTokenMaxDays)
            errors.Add($"La durée de validité va de 1 à {options.Value.ApiTokenMaxDays} jours.");
        if ((await ApiTokens.ActiveAsync(db, account.Id, http.RequestAborted)).Count >= options.Value.ApiTokensPerAccount)
            errors.Add($"Vous avez déjà {options.Value.ApiTokensPerAccount} jetons actifs : révoquez-en un d'abord.");
        if (errors.Count > 0)
            return await AccountPageAsync(http, users, authorization, db, options.Value, errors: errors,
                status: StatusCodes.Status400BadRequest);

        var (token, secret) = ApiTokens.Issue(db, account, name, TimeSpan.FromDays(days));
        await db.SaveChangesAsync(http.RequestAborted);
        AuditLog.Add(db, http, AuditActions.ApiTokenCreated, account, target: AuditLog.ApiTokenTarget(token.Id),
            details: new { name, days });
        await db.SaveChangesAsync(http.RequestAborted);
        return await AccountPageAsync(http, users, authorization, db, options.Value, secret, name);
    }

    private static async Task<IResult> RevokeTokenAsync(HttpContext http, IAuthorizationService authorization, CatalogueWriteDbContext db,
        UserManager<Account> users, long id)
    {
        var token = await db.ApiTokens.FirstOrDefaultAsync(t => t.Id == id, http.RequestAborted);
        if (token is null || !(await authorization.AuthorizeAsync(http.User, token, AccountOperation.RevokeApiToken)).Succeeded)
            return Forbidden();
        if (token.RevokedAt is null)
        {
            token.RevokedAt = DateTimeOffset.UtcNow;
            AuditLog.Add(db, http, AuditActions.ApiTokenRevoked, await users.GetUserAsync(http.User),
                target: AuditLog.ApiTokenTarget(token.Id), details: new { token.Name });
            await db.SaveChangesAsync(http.RequestAborted);
        }
        return TypedResults.LocalRedirect(AccountPath);
    }

    /// <summary>403 with a page that says so; nothing is written.</summary>
    public static IResult Forbidden() => Page<MessagePage>(new
    {
        Title = "Accès refusé", Alert = true, Text = "Votre compte ne permet pas cette action.", LinkPath = AccountPath,
        LinkText = "Retour à mon compte",
    }, StatusCodes.Status403Forbidden);

    /// <summary>A return address of this site only (a path, never <c>//host</c> or <c>/\host</c>); null otherwise.</summary>
    public static string? LocalOrNull(string? url) =>
        url is ['/', not ('/' or '\\'), ..] or "/" && !url.Any(char.IsControl) ? url : null;

    private static int MinPasswordLength(HttpContext http) =>
        http.RequestServices.GetRequiredService<IOptions<IdentityOptions>>().Value.Password.RequiredLength;
}
