namespace InclusionMap.Server.Moderation;

/// <summary>What a resident's contribution answers: its number (0 for one dropped by the honeypot) and a French thank-you.</summary>
public sealed record Receipt(long Id, string Message);
