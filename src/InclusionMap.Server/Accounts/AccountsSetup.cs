using InclusionMap.Data;
using InclusionMap.Data.Accounts;
using InclusionMap.Server.Catalogue;
using InclusionMap.Server.Mail;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace InclusionMap.Server.Accounts;

/// <summary>
/// Accounts, sign-in and mail, composed in one place: Identity over <see cref="CatalogueWriteDbContext"/> (the primary,
/// as the editor role), the session cookie, personal API tokens, OpenID Connect when configured, the roles matrix,
/// antiforgery, Data Protection keys in the database (several servers share sessions) and the mail sender.
/// </summary>
public static class AccountsSetup
{
    public const string OidcScheme = "oidc";

    /// <summary>The session cookie's name.</summary>
    public const string SessionCookie = "inclusionmap.session";

    /// <summary>The header a cookie-authenticated GraphQL POST carries its antiforgery token in.</summary>
    public const string AntiforgeryHeader = "X-CSRF-TOKEN";

    /// <summary>Data Protection's application name: servers that share it (and the database) read each other's cookies.</summary>
    public const string ApplicationName = "InclusionMap";

    /// <summary>When the session was opened (an item of the cookie's properties, kept across renewals): for the absolute limit.</summary>
    private const string SignedInItem = "inclusionmap.signed-in";

    public static WebApplicationBuilder AddAccounts(this WebApplicationBuilder builder, CatalogueSettings settings)
    {
        var accounts = builder.AddValidatedOptions<AccountOptions>(AccountOptions.Section);
        var oidc = builder.AddValidatedOptions<OidcOptions>(OidcOptions.Section);
        var mail = builder.AddValidatedOptions<MailOptions>(MailOptions.Section);
        var services = builder.Services;
        services.AddDbContextPool<CatalogueWriteDbContext>((sp, options) => CatalogueDatabase.Configure(options,
                sp.GetRequiredService<CatalogueDataSources>().WebWrites)
            .AddInterceptors(sp.GetServices<IInterceptor>()));
        services.AddSingleton(sp => MailSenders.Create(mail, settings.StateDirectory, sp.GetRequiredService<ILoggerFactory>()));
        services.AddAccountServices(accounts);

        // A session is checked against the database on every request it makes (security stamp, role and scope rebuilt):
        // a revoked account or a changed role takes effect at once. Only signed-in pages and GraphQL POSTs authenticate.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.Zero);
        var authentication = services.AddAuthentication(o =>
        {
            o.DefaultChallengeScheme = IdentityConstants.ApplicationScheme;
            o.DefaultSignInScheme = IdentityConstants.ExternalScheme;
        });
        authentication.AddIdentityCookies();
        authentication.AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(
            ApiTokenAuthenticationHandler.SchemeName, null);
        if (oidc.Enabled) authentication.AddOpenIdConnect(OidcScheme, oidc.DisplayName, o => ConfigureOidc(o, oidc));
        services.ConfigureApplicationCookie(o => ConfigureSession(o, accounts));
        services.ConfigureExternalCookie(o =>
        {
            o.Cookie.Name = "inclusionmap.external";
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = TimeSpan.FromMinutes(10);
        });

        services.AddAuthorizationBuilder()
            .AddPolicy(AccountPages.SessionPolicy,
                p => p.AddAuthenticationSchemes(IdentityConstants.ApplicationScheme).RequireAuthenticatedUser());
        services.AddSingleton<IAuthorizationHandler, AccountAuthorizationHandler>();
        services.AddAntiforgery(o =>
        {
            o.HeaderName = AntiforgeryHeader;
            o.Cookie.Name = "inclusionmap.csrf";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        services.AddRazorComponents();
        services.AddDataProtection().SetApplicationName(ApplicationName).PersistKeysToDbContext<CatalogueWriteDbContext>();
        return builder;
    }

    /// <summary>
    /// Identity over <see cref="CatalogueWriteDbContext"/> with our rules, and <see cref="AccountDirectory"/>: the web and the
    /// command line (which has no cookies) register the same.
    /// </summary>
    public static IdentityBuilder AddAccountServices(this IServiceCollection services, AccountOptions accounts)
    {
        services.AddScoped<AccountDirectory>();
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(accounts));
        return services.AddIdentityCore<Account>(o =>
            {
                o.User.RequireUniqueEmail = true;
                // The user name is the email address, whatever characters it holds.
                o.User.AllowedUserNameCharacters = "";
                o.SignIn.RequireConfirmedEmail = true;
                o.Password.RequiredLength = 12;
                o.Lockout.AllowedForNewUsers = true;
                o.Lockout.MaxFailedAccessAttempts = accounts.MaxFailedSignIns;
                o.Lockout.DefaultLockoutTimeSpan = accounts.LockoutDuration;
            })
            .AddEntityFrameworkStores<CatalogueWriteDbContext>()
            .AddSignInManager()
            .AddClaimsPrincipalFactory<AccountClaimsPrincipalFactory>()
            .AddErrorDescriber<FrenchIdentityErrors>();
    }

    /// <summary>
    /// The session cookie: HttpOnly, Secure over HTTPS, SameSite=Lax (the provider's redirect back is a top-level GET),
    /// ended by the browser when it closes, after <see cref="AccountOptions.SessionIdleTimeout"/> without a request, and
    /// <see cref="AccountOptions.SessionMaxLifetime"/> after signing in whatever happens.
    /// </summary>
    private static void ConfigureSession(CookieAuthenticationOptions o, AccountOptions accounts)
    {
        o.Cookie.Name = SessionCookie;
        o.Cookie.HttpOnly = true;
        o.Cookie.SameSite = SameSiteMode.Lax;
        o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        o.ExpireTimeSpan = accounts.SessionIdleTimeout;
        o.SlidingExpiration = true;
        o.LoginPath = AccountPages.SignInPath;
        o.LogoutPath = AccountPages.SignOutPath;
        o.ReturnUrlParameter = "retour";
        var validateStamp = o.Events.OnValidatePrincipal;
        o.Events.OnSigningIn = context =>
        {
            var now = (context.Options.TimeProvider ?? TimeProvider.System).GetUtcNow();
            context.Properties.Items[SignedInItem] = now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Task.CompletedTask;
        };
        o.Events.OnValidatePrincipal = async context =>
        {
            var opened = context.Properties.Items.TryGetValue(SignedInItem, out var text) && long.TryParse(text, out var seconds)
                ? DateTimeOffset.FromUnixTimeSeconds(seconds)
                : DateTimeOffset.MinValue;
            if ((context.Options.TimeProvider ?? TimeProvider.System).GetUtcNow() - opened > accounts.SessionMaxLifetime)
            {
                context.RejectPrincipal();
                await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
                return;
            }
            await validateStamp(context);
        };
        o.Events.OnRedirectToAccessDenied = context =>
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return Task.CompletedTask;
        };
    }

    private static void ConfigureOidc(OpenIdConnectOptions o, OidcOptions oidc)
    {
        o.Authority = oidc.Authority;
        o.ClientId = oidc.ClientId;
        o.ClientSecret = oidc.ClientSecret;
        o.RequireHttpsMetadata = !OidcOptions.IsLoopbackHttp(new Uri(oidc.Authority!));
        o.ResponseType = OpenIdConnectResponseType.Code;
        // The code comes back as a top-level GET, which SameSite=Lax cookies (correlation, nonce) follow.
        o.ResponseMode = OpenIdConnectResponseMode.Query;
        o.UsePkce = true;
        o.CallbackPath = AccountPages.OidcCallbackPath;
        o.SignInScheme = IdentityConstants.ExternalScheme;
        o.GetClaimsFromUserInfoEndpoint = true;
        o.SaveTokens = false;
        o.Scope.Clear();
        o.Scope.Add("openid");
        foreach (var scope in oidc.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries)) o.Scope.Add(scope);
        o.ClaimActions.MapUniqueJsonKey("email_verified", "email_verified");
        // The userinfo's email under the claim type the sign-in reads (the handler's own action names it "email").
        o.ClaimActions.MapUniqueJsonKey(System.Security.Claims.ClaimTypes.Email, "email");
        o.CorrelationCookie.SameSite = SameSiteMode.Lax;
        o.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        o.NonceCookie.SameSite = SameSiteMode.Lax;
        o.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        // A provider that fails or a visitor who cancels lands on the sign-in page, not on an error.
        o.Events.OnRemoteFailure = context =>
        {
            context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("InclusionMap.Accounts")
                .LogWarning("Sign-in through {Provider} failed: {Reason}", oidc.DisplayName, context.Failure?.Message);
            context.Response.Redirect(AccountPages.SignInPath);
            context.HandleResponse();
            return Task.CompletedTask;
        };
    }

    /// <summary>Authentication, authorization and antiforgery, after routing and forwarded headers; and what the log should say.</summary>
    public static WebApplication UseAccounts(this WebApplication app, CatalogueSettings settings)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("InclusionMap.Accounts");
        var oidc = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<OidcOptions>>().Value;
        var mail = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<MailOptions>>().Value;
        log.LogInformation("{Oidc}", oidc.Enabled
            ? $"Sign-in with {oidc.DisplayName} (OpenID Connect, {oidc.Authority}) and with passwords"
            : "OpenID Connect is off (InclusionMap:Oidc:Authority unset): accounts sign in with a password");
        log.LogInformation("{Mail}", MailSenders.Describe(mail, settings.StateDirectory));
        return app;
    }
}
