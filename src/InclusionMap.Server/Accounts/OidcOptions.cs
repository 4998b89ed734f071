using System.ComponentModel.DataAnnotations;
using System.Net;

namespace InclusionMap.Server.Accounts;

/// <summary>
/// Sign-in through an OpenID Connect provider such as ProConnect, the public sector's federation (configuration section
/// <c>InclusionMap:Oidc</c>). Off while <see cref="Authority"/> is unset. An identity signs in only when its verified email
/// is that of an invited account.
/// </summary>
public sealed class OidcOptions : IValidatableObject
{
    public const string Section = "InclusionMap:Oidc";

    /// <summary>The provider's issuer URL (its <c>/.well-known/openid-configuration</c> is read from there).</summary>
    public string? Authority { get; set; }

    public string? ClientId { get; set; }
    public string? ClientSecret { get; set; }

    /// <summary>The provider's name on the sign-in button.</summary>
    [StringLength(60, MinimumLength = 1)]
    public string DisplayName { get; set; } = "ProConnect";

    /// <summary>Scopes asked for besides <c>openid</c> (space-separated).</summary>
    public string Scopes { get; set; } = "email";

    /// <summary>
    /// Whether an identity must carry <c>email_verified: true</c> to be matched to an account by its email. Turn off only
    /// for a provider that vouches for every address it sends without saying so.
    /// </summary>
    public bool RequireVerifiedEmail { get; set; } = true;

    public bool Enabled => !string.IsNullOrWhiteSpace(Authority);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enabled)
        {
            if (!string.IsNullOrWhiteSpace(ClientId)) yield return new ValidationResult("is set but Authority is not", [nameof(ClientId)]);
            yield break;
        }
        if (string.IsNullOrWhiteSpace(ClientId)) yield return new ValidationResult("is required with Authority", [nameof(ClientId)]);
        if (string.IsNullOrWhiteSpace(ClientSecret))
            yield return new ValidationResult("is required with Authority", [nameof(ClientSecret)]);
        if (!Uri.TryCreate(Authority, UriKind.Absolute, out var authority) || !(authority.Scheme == "https" || IsLoopbackHttp(authority)))
            yield return new ValidationResult($"must be an https URL (http only on a loopback address), not '{Authority}'",
                [nameof(Authority)]);
    }

    /// <summary>A provider on this machine over plain HTTP (development, tests): metadata need not come over HTTPS.</summary>
    public static bool IsLoopbackHttp(Uri authority) =>
        authority.Scheme == "http" && (authority.IsLoopback || IPAddress.TryParse(authority.Host, out var ip) && IPAddress.IsLoopback(ip));
}
