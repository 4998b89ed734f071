namespace InclusionMap.Data.Accounts;

/// <summary>
/// A link sent by mail that works once, before it expires: its secret is in the URL, only its SHA-256 is stored.
/// Invitations and password resets name an account; a site claim names the email address it was sent to and the site.
/// </summary>
public class OneTimeLink
{
    public long Id { get; set; }
    public OneTimeLinkPurpose Purpose { get; set; }
    public byte[] Hash { get; set; } = [];
    public Guid? AccountId { get; set; }

    /// <summary>The address the link was sent to.</summary>
    public string Email { get; set; } = "";

    /// <summary>The site a claim link is for.</summary>
    public long? SiteId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>When it was used; a used link is refused.</summary>
    public DateTimeOffset? UsedAt { get; set; }
}
