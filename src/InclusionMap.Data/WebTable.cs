namespace InclusionMap.Data;

/// <summary>A table the web writes through <see cref="CatalogueRoles.Editor"/>.</summary>
/// <param name="Name">The table.</param>
/// <param name="EditorMay">The privileges the editor gets besides SELECT, as SQL (<c>INSERT, UPDATE</c>).</param>
/// <param name="Private">Whether the API's read-only role is refused even SELECT on it (accounts, secrets, the audit log).</param>
public sealed record WebTable(string Name, string EditorMay, bool Private);
