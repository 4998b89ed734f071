namespace InclusionMap.Server.Accounts;

/// <summary>A request about accounts that cannot be done as asked (unknown département, no such account…): the reason, readable.</summary>
public sealed class AccountException(string message) : Exception(message);
