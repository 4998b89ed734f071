namespace InclusionMap.Server.Accounts;

/// <summary>
/// The claims a signed-in account carries besides Identity's own (id, email, security stamp): its role
/// (<see cref="System.Security.Claims.ClaimTypes.Role"/>), one per département or site of its scope, and how it
/// authenticated. Rebuilt from the database on every request (<c>SecurityStampValidator</c>), so a change of role or
/// scope applies at once.
/// </summary>
public static class AccountClaimTypes
{
    public const string Departement = "inclusionmap:departement";
    public const string Site = "inclusionmap:site";

    /// <summary><c>password</c>, <c>oidc</c> or <c>api-token</c>.</summary>
    public const string Method = "amr";

    /// <summary>The id of the personal API token a request came with.</summary>
    public const string ApiTokenId = "inclusionmap:api-token";
}
