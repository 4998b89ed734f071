using System.ComponentModel.DataAnnotations;
using MailKit.Security;

namespace InclusionMap.Server.Mail;

/// <summary>The SMTP server mail is sent through (<c>InclusionMap:Mail:Smtp</c>); none while <see cref="Host"/> is unset.</summary>
public sealed class SmtpOptions : IValidatableObject
{
    public string? Host { get; set; }

    [Range(1, 65535)]
    public int Port { get; set; } = 587;

    /// <summary>
    /// <c>StartTls</c> (the default: refuse a server that cannot encrypt), <c>SslOnConnect</c> (port 465), <c>Auto</c>, or
    /// <c>None</c> (a relay on this machine only).
    /// </summary>
    public SecureSocketOptions Security { get; set; } = SecureSocketOptions.StartTls;

    public string? UserName { get; set; }
    public string? Password { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(Host);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrEmpty(UserName) && string.IsNullOrEmpty(Password))
            yield return new ValidationResult("is required with UserName", [nameof(Password)]);
    }
}
