namespace InclusionMap.Data.Accounts;

/// <summary>
/// What an account may do (docs/security.md, "Roles"): an admin everything; a coordinator moderate and edit within its
/// départements; a structure edit its own places. Stored as the lower-case name (<c>admin</c>, <c>coordinator</c>,
/// <c>structure</c>), which is also the value of the role claim.
/// </summary>
public enum AccountRole
{
    Admin,
    Coordinator,
    Structure,
}

/// <summary>The names of <see cref="AccountRole"/> in the database, claims and the command line.</summary>
public static class AccountRoles
{
    public static string Name(this AccountRole role) => role.ToString().ToLowerInvariant();

    public static bool TryParse(string? name, out AccountRole role)
    {
        foreach (var value in Enum.GetValues<AccountRole>())
            if (string.Equals(value.Name(), name, StringComparison.Ordinal))
            {
                role = value;
                return true;
            }
        role = default;
        return false;
    }

    public static AccountRole Parse(string name) =>
        TryParse(name, out var role) ? role : throw new ArgumentException($"Unknown role '{name}': admin, coordinator or structure.", nameof(name));
}
