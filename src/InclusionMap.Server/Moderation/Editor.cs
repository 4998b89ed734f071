using System.Security.Claims;
using InclusionMap.Data.Accounts;
using InclusionMap.Server.Accounts;

namespace InclusionMap.Server.Moderation;

/// <summary>The signed-in account behind a moderation request, as its claims say (<see cref="AccountClaimTypes"/>).</summary>
public sealed record Editor(ClaimsPrincipal User, Guid Id, string Email, AccountRole Role)
{
    /// <summary>How the site's history names the author of an edit (the audit log, private, has the address).</summary>
    public string HistoryActor => "account:" + Id.ToString("D");

    public IReadOnlyList<string> Departements => [.. User.FindAll(AccountClaimTypes.Departement).Select(c => c.Value)];

    /// <summary>An account as the audit log wants it (its id and address; no database read).</summary>
    public Account Account => new() { Id = Id, Email = Email, Role = Role };

    /// <exception cref="ModerationException">UNAUTHENTICATED for an anonymous request.</exception>
    public static Editor Of(ClaimsPrincipal? user)
    {
        if (user?.Identity?.IsAuthenticated != true || !Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id)
            || !AccountRoles.TryParse(user.FindFirstValue(ClaimTypes.Role), out var role))
            throw ModerationException.SignInNeeded();
        return new Editor(user, id, user.FindFirstValue(ClaimTypes.Email) ?? "", role);
    }
}
