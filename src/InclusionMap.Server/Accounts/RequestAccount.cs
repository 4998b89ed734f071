using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;

namespace InclusionMap.Server.Accounts;

/// <summary>
/// Who an API request (GraphQL) comes from. A bearer token decides when present: it must work, or the request is
/// refused (401). Otherwise, on a POST only, the session cookie counts if the request also carries the antiforgery token
/// (header <c>X-CSRF-TOKEN</c>): another site can make a browser send the cookie, never the token. A session without it
/// leaves the request anonymous, with <see cref="Problem"/> saying why. Public requests carry neither and cost nothing.
/// </summary>
public sealed record RequestAccount(ClaimsPrincipal User, string? Problem = null)
{
    /// <summary>The key of this record in GraphQL's user context.</summary>
    public const string UserContextKey = "inclusionmap.account";

    public const string MissingAntiforgeryToken =
        "A request signed in by its session cookie must carry the page's antiforgery token in the X-CSRF-TOKEN header.";

    public static RequestAccount Anonymous { get; } = new(new ClaimsPrincipal(new ClaimsIdentity()));

    public bool IsAuthenticated => User.Identity?.IsAuthenticated == true;

    /// <returns>The account, anonymous, or null when a bearer token does not work.</returns>
    public static async Task<RequestAccount?> AuthenticateAsync(HttpContext http, bool allowSession)
    {
        if (ApiTokenAuthenticationHandler.HasBearer(http.Request))
        {
            var bearer = await http.AuthenticateAsync(ApiTokenAuthenticationHandler.SchemeName);
            if (!bearer.Succeeded) return null;
            http.User = bearer.Principal;
            return new RequestAccount(bearer.Principal);
        }
        if (!allowSession || !http.Request.Cookies.ContainsKey(AccountsSetup.SessionCookie)) return Anonymous;
        var session = await http.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        if (!session.Succeeded) return Anonymous;
        http.User = session.Principal;
        var antiforgery = http.RequestServices.GetRequiredService<IAntiforgery>();
        return await antiforgery.IsRequestValidAsync(http)
            ? new RequestAccount(session.Principal)
            : Anonymous with { Problem = MissingAntiforgeryToken };
    }
}
