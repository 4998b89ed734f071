using MimeKit;

namespace InclusionMap.Server.Mail;

/// <summary>Sends a message: <see cref="SmtpMailSender"/> when an SMTP server is configured, else <see cref="OutboxMailSender"/>.</summary>
public interface IMailSender
{
    /// <summary>Sends <paramref name="message"/> (its sender is set from the options when empty).</summary>
    /// <exception cref="MailNotSentException">The server or the folder refused it.</exception>
    Task SendAsync(MimeMessage message, CancellationToken ct = default);
}
