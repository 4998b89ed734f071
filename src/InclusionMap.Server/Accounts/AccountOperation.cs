using Microsoft.AspNetCore.Authorization;

namespace InclusionMap.Server.Accounts;

/// <summary>
/// What a signed-in account may ask to do, checked by <see cref="AccountAuthorizationHandler"/> through
/// <c>IAuthorizationService.AuthorizeAsync(user, resource, operation)</c>. The matrix is in docs/security.md.
/// </summary>
public sealed class AccountOperation : IAuthorizationRequirement
{
    private AccountOperation(string name) => Name = name;

    public string Name { get; }

    /// <summary>Change a site's record. Resource: a <see cref="SiteScope"/>.</summary>
    public static readonly AccountOperation EditSite = new("edit-site");

    /// <summary>Review the reports and suggestions of a département. Resource: a <see cref="DepartementScope"/>.</summary>
    public static readonly AccountOperation ModerateDepartement = new("moderate-departement");

    /// <summary>Invite, change and revoke accounts. No resource.</summary>
    public static readonly AccountOperation ManageAccounts = new("manage-accounts");

    /// <summary>Hold personal API tokens (for scripts). No resource.</summary>
    public static readonly AccountOperation UseApiTokens = new("use-api-tokens");

    /// <summary>Revoke a personal API token. Resource: the <see cref="Data.Accounts.ApiToken"/>.</summary>
    public static readonly AccountOperation RevokeApiToken = new("revoke-api-token");

    public override string ToString() => Name;
}
