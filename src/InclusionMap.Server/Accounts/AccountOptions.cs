using System.ComponentModel.DataAnnotations;

namespace InclusionMap.Server.Accounts;

/// <summary>Sessions, links, tokens and sign-in limits (configuration section <c>InclusionMap:Accounts</c>).</summary>
public sealed class AccountOptions : IValidatableObject
{
    public const string Section = "InclusionMap:Accounts";

    /// <summary>
    /// The address people reach the server at, for the links in mails (never taken from a request's Host header, which
    /// a stranger chooses).
    /// </summary>
    public string PublicUrl { get; set; } = InclusionMapApp.DefaultUrl;

    /// <summary>A session ends after this long without a request (sliding).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromHours(8);

    /// <summary>A session ends this long after signing in, however active.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "90.00:00:00")]
    public TimeSpan SessionMaxLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long an invitation link works.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "30.00:00:00")]
    public TimeSpan InvitationLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long a password-reset link works.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "1.00:00:00")]
    public TimeSpan PasswordResetLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The longest life a personal API token may be given, in days.</summary>
    [Range(1, 730)]
    public int ApiTokenMaxDays { get; set; } = 365;

    /// <summary>Personal API tokens one account may hold at once (not revoked, not expired).</summary>
    [Range(1, 100)]
    public int ApiTokensPerAccount { get; set; } = 10;

    /// <summary>Wrong passwords in a row before the account is locked.</summary>
    [Range(1, 100)]
    public int MaxFailedSignIns { get; set; } = 5;

    /// <summary>How long a locked account stays locked.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Uri.TryCreate(PublicUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") || url.PathAndQuery != "/")
            yield return new ValidationResult($"must be an http(s) origin such as https://inclusionmap.example.fr, not '{PublicUrl}'",
                [nameof(PublicUrl)]);
        if (SessionMaxLifetime < SessionIdleTimeout)
            yield return new ValidationResult("must be at least SessionIdleTimeout", [nameof(SessionMaxLifetime)]);
    }

    /// <summary>An absolute URL of this server for a path (and query) of ours.</summary>
    public string Link(string pathAndQuery) => PublicUrl.TrimEnd('/') + pathAndQuery;
}
