namespace InclusionMap.Data.Accounts;

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
        TryParse(name, out var role) ? role : throw new ArgumentException($"Unknown role '{name}': admin, coordinator or structure.",
            nameof(name));
}
