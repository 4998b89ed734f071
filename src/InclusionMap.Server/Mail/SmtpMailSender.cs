using MailKit.Net.Smtp;
using MimeKit;

namespace InclusionMap.Server.Mail;

/// <summary>Sends through the configured SMTP server with MailKit: one connection per message (mail here is rare).</summary>
public sealed class SmtpMailSender(MailOptions options, ILogger<SmtpMailSender> log) : IMailSender
{
    public async Task SendAsync(MimeMessage message, CancellationToken ct = default)
    {
        var smtp = options.Smtp;
        if (message.From.Count == 0) message.From.Add(MailboxAddress.Parse(options.From));
        using var client = new SmtpClient { Timeout = 30_000 };
        try
        {
            await client.ConnectAsync(smtp.Host!, smtp.Port, smtp.Security, ct);
            if (!string.IsNullOrEmpty(smtp.UserName)) await client.AuthenticateAsync(smtp.UserName, smtp.Password ?? "", ct);
            await client.SendAsync(message, ct);
            await client.DisconnectAsync(quit: true, ct);
        }
        catch (Exception e) when (e is MailKit.ProtocolException or MailKit.Security.AuthenticationException or SmtpCommandException
                                   or System.Net.Sockets.SocketException or IOException or MailKit.Security.SslHandshakeException)
        {
            throw new MailNotSentException($"The SMTP server {smtp.Host}:{smtp.Port} did not take the message: {e.Message}", e);
        }
        log.LogInformation("Mail to {To} ({Subject}) sent through {Host}", message.To, message.Subject, smtp.Host);
    }
}
