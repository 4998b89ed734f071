using System.Globalization;
using System.Security.Claims;
using InclusionMap.Data.Accounts;
using Microsoft.AspNetCore.Authorization;

namespace InclusionMap.Server.Accounts;

/// <summary>
/// The roles matrix, in one place: an admin may do everything; a coordinator may moderate its départements, edit the
/// sites in them and hold API tokens; a structure may edit its own sites; anyone may revoke their own API tokens.
/// Everything else is refused (a missing or unknown resource included).
/// </summary>
public sealed class AccountAuthorizationHandler : AuthorizationHandler<AccountOperation>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, AccountOperation operation)
    {
        var user = context.User;
        if (user.Identity?.IsAuthenticated == true && user.FindFirstValue(ClaimTypes.Role) is { } name
            && AccountRoles.TryParse(name, out var role)
            && Allows(user, role, operation, context.Resource))
            context.Succeed(operation);
        return Task.CompletedTask;
    }

    private static bool Allows(ClaimsPrincipal user, AccountRole role, AccountOperation operation, object? resource)
    {
        if (role == AccountRole.Admin) return true;
        if (operation == AccountOperation.EditSite && resource is SiteScope site)
            return role switch
            {
                AccountRole.Coordinator => site.DepartementCode is { } code && HasDepartement(user, code),
                AccountRole.Structure => user.HasClaim(AccountClaimTypes.Site, site.SiteId.ToString(CultureInfo.InvariantCulture)),
                _ => false,
            };
        if (operation == AccountOperation.ModerateDepartement && resource is DepartementScope departement)
            return role == AccountRole.Coordinator && HasDepartement(user, departement.Code);
        if (operation == AccountOperation.UseApiTokens) return role == AccountRole.Coordinator;
        if (operation == AccountOperation.RevokeApiToken && resource is ApiToken token)
            return user.FindFirstValue(ClaimTypes.NameIdentifier) == token.AccountId.ToString();
        return false;
    }

    private static bool HasDepartement(ClaimsPrincipal user, string code) => user.HasClaim(AccountClaimTypes.Departement, code);
}
