using System.Globalization;
using System.Security.Cryptography;
using MimeKit;

namespace InclusionMap.Server.Mail;

/// <summary>
/// Without an SMTP server: each message becomes an <c>.eml</c> file (any mail program opens it) in a folder only this
/// account may read (0700, files 0600: they hold one-time links), and a log line says where.
/// </summary>
public sealed class OutboxMailSender(MailOptions options, string directory, ILogger<OutboxMailSender> log) : IMailSender
{
    public string Directory { get; } = Path.GetFullPath(directory);

    public async Task SendAsync(MimeMessage message, CancellationToken ct = default)
    {
        if (message.From.Count == 0) message.From.Add(MailboxAddress.Parse(options.From));
        string path;
        try
        {
            if (OperatingSystem.IsWindows()) System.IO.Directory.CreateDirectory(Directory);
            else System.IO.Directory.CreateDirectory(Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var name = string.Create(CultureInfo.InvariantCulture,
                $"{DateTime.UtcNow:yyyyMMdd-HHmmss-fff}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}.eml");
            path = Path.Combine(Directory, name);
            var file = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) file.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            await using var stream = new FileStream(path, file);
            await message.WriteToAsync(stream, ct);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MailNotSentException($"The message could not be written to {Directory}: {e.Message}", e);
        }
        log.LogInformation("Mail to {To} ({Subject}) written to {Path}: no SMTP server is configured (InclusionMap:Mail:Smtp:Host)",
            message.To, message.Subject, path);
    }
}
