namespace InclusionMap.Server.Moderation;

/// <summary>A refused value: the field (its GraphQL name, or an input field such as <c>email</c>) and why, in French.</summary>
public sealed record FieldError(string Field, string Message);
