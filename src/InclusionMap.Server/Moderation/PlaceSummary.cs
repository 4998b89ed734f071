namespace InclusionMap.Server.Moderation;

/// <summary>A place as the forms name it: number, name, address, and whether its record lists an e-mail address (to claim it).</summary>
public sealed record PlaceSummary(long Id, string Nom, string Adresse, string CodePostal, string CommuneName, bool HasEmails);
