namespace InclusionMap.Server.Mail;

/// <summary>A message could not be sent (SMTP server unreachable or refusing, outbox not writable): the reason, readable.</summary>
public sealed class MailNotSentException(string message, Exception? inner = null) : Exception(message, inner);
