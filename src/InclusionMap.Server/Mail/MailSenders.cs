namespace InclusionMap.Server.Mail;

/// <summary>Chooses the mail sender from the options: SMTP when a host is set, else the outbox folder.</summary>
public static class MailSenders
{
    /// <summary>The outbox folder: the configured one, else <c>outbox</c> in the state directory.</summary>
    public static string OutboxDirectory(MailOptions options, string stateDirectory) =>
        Path.GetFullPath(options.OutboxDirectory ?? Path.Combine(stateDirectory, "outbox"));

    public static IMailSender Create(MailOptions options, string stateDirectory, ILoggerFactory logging) =>
        options.Smtp.Enabled
            ? new SmtpMailSender(options, logging.CreateLogger<SmtpMailSender>())
            : new OutboxMailSender(options, OutboxDirectory(options, stateDirectory), logging.CreateLogger<OutboxMailSender>());

    /// <summary>One line for the start-up log: where mail goes.</summary>
    public static string Describe(MailOptions options, string stateDirectory) =>
        options.Smtp.Enabled
            ? $"Mail is sent through the SMTP server {options.Smtp.Host}:{options.Smtp.Port}"
            : "No SMTP server configured (InclusionMap:Mail:Smtp:Host): mail is written as .eml files to "
                + OutboxDirectory(options, stateDirectory);
}
