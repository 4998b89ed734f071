using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using InclusionMap.Data.Accounts;
using InclusionMap.Server.Catalogue;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace InclusionMap.Server.Accounts;

/// <summary>
/// <c>Authorization: Bearer imt_…</c>: the account of a personal API token (<see cref="ApiTokens"/>), with the same
/// claims as a session plus the token's id. Without that header: no result (other schemes may try). A token that does
/// not work: failure, and a challenge answers 401 with <c>WWW-Authenticate: Bearer error="invalid_token"</c>.
/// </summary>
public sealed class ApiTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    CatalogueWriteDbContext db,
    IUserClaimsPrincipalFactory<Account> principals) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiToken";

    /// <summary>Whether a request carries a bearer token (which then decides who it is, whatever its cookies).</summary>
    public static bool HasBearer(HttpRequest request) =>
        request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!HasBearer(Request)) return AuthenticateResult.NoResult();
        var secret = Request.Headers.Authorization.ToString()["Bearer ".Length..].Trim();
        var found = await ApiTokens.AuthenticateAsync(db, secret, Context.RequestAborted);
        if (found is not { Token: var token, Account: var account })
            return AuthenticateResult.Fail("The API token is unknown, expired or revoked.");
        var principal = await principals.CreateAsync(account);
        var identity = (ClaimsIdentity)principal.Identity!;
        identity.AddClaim(new Claim(AccountClaimTypes.Method, "api-token"));
        identity.AddClaim(new Claim(AccountClaimTypes.ApiTokenId, token.Id.ToString(CultureInfo.InvariantCulture)));
        return AuthenticateResult.Success(
            new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(identity.Claims, SchemeName)), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = result.Failure is null ? "Bearer" : "Bearer error=\"invalid_token\"";
    }
}
