namespace InclusionMap.Data.Accounts;

/// <summary>
/// A personal API token (<c>Authorization: Bearer imt_…</c>) for a coordinator's scripts. Only the SHA-256 of the
/// secret is stored; the secret is shown once, when created. Named, with an expiry, the last time it was used, and
/// revocable.
/// </summary>
public class ApiToken
{
    public long Id { get; set; }
    public Guid AccountId { get; set; }
    public string Name { get; set; } = "";

    /// <summary>SHA-256 of the whole token text.</summary>
    public byte[] Hash { get; set; } = [];

    /// <summary>The token's first characters, to tell tokens apart on the account page (never enough to use it).</summary>
    public string Prefix { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}
