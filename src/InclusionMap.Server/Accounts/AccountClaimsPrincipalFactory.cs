using System.Globalization;
using System.Security.Claims;
using InclusionMap.Data.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace InclusionMap.Server.Accounts;

/// <summary>Identity's principal of an account plus its role and scope (<see cref="AccountClaimTypes"/>).</summary>
public sealed class AccountClaimsPrincipalFactory(UserManager<Account> users, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<Account>(users, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(Account account)
    {
        var identity = await base.GenerateClaimsAsync(account);
        identity.AddClaim(new Claim(ClaimTypes.Role, account.Role.Name()));
        foreach (var code in account.Departements) identity.AddClaim(new Claim(AccountClaimTypes.Departement, code));
        foreach (var site in account.SiteIds)
            identity.AddClaim(new Claim(AccountClaimTypes.Site, site.ToString(CultureInfo.InvariantCulture)));
        return identity;
    }
}
