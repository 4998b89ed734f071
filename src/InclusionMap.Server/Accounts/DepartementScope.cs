namespace InclusionMap.Server.Accounts;

/// <summary>A département as authorization sees it: its code.</summary>
public sealed record DepartementScope(string Code);
