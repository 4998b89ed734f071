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
