using Microsoft.AspNetCore.Identity;

namespace InclusionMap.Data.Accounts;

/// <summary>
/// A person who signs in: an ASP.NET Core Identity user (email as user name, password hash, lockout, security stamp)
/// with one role and its scope: the départements a coordinator moderates, the sites a structure edits. Accounts are
/// created by invitation (<c>inclusionmap user invite</c>), never by signing up; revoking keeps the row for the audit log.
/// </summary>
public class Account : IdentityUser<Guid>
{
    public AccountRole Role { get; set; }

    /// <summary>Département codes (<c>23</c>, <c>2A</c>, <c>974</c>) a coordinator works on.</summary>
    public List<string> Departements { get; set; } = [];

    /// <summary>Ids of the sites a structure edits.</summary>
    public List<long> SiteIds { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the account last signed in (password or OpenID Connect).</summary>
    public DateTimeOffset? LastSignInAt { get; set; }

    /// <summary>When an admin revoked it: it can no longer sign in, its sessions and API tokens stop working.</summary>
    public DateTimeOffset? RevokedAt { get; set; }

    public bool Revoked => RevokedAt is not null;
}
