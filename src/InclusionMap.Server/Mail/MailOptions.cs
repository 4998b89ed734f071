using System.ComponentModel.DataAnnotations;
using MimeKit;

namespace InclusionMap.Server.Mail;

/// <summary>
/// How mail leaves (configuration section <c>InclusionMap:Mail</c>): through the SMTP server of <see cref="Smtp"/> when its
/// host is set, else written as <c>.eml</c> files into <see cref="OutboxDirectory"/> (default <c>&lt;state&gt;/outbox</c>).
/// </summary>
public sealed class MailOptions : IValidatableObject
{
    public const string Section = "InclusionMap:Mail";

    /// <summary>The sender of every message.</summary>
    public string From { get; set; } = "InclusionMap <ne-pas-repondre@inclusionmap.localhost>";

    /// <summary>Where messages go without an SMTP server (default: <c>outbox</c> in the state directory).</summary>
    public string? OutboxDirectory { get; set; }

    public SmtpOptions Smtp { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!MailboxAddress.TryParse(From, out _)) yield return new ValidationResult($"is not a mail address: '{From}'", [nameof(From)]);
        var smtp = new List<ValidationResult>();
        Validator.TryValidateObject(Smtp, new ValidationContext(Smtp), smtp, validateAllProperties: true);
        foreach (var error in smtp) yield return new ValidationResult(error.ErrorMessage, error.MemberNames.Select(m => "Smtp:" + m));
    }
}
