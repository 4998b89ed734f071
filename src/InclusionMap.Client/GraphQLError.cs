namespace InclusionMap.Client;

/// <summary>
/// One GraphQL error, with the API's stable code from <c>extensions.code</c> (e.g. <c>PAGE_SIZE_EXCEEDED</c>,
/// <c>RADIUS_TOO_LARGE</c>, <c>MAX_COMPLEXITY_EXCEEDED</c>; docs/api-graphql.md lists them).
/// </summary>
public sealed record GraphQLError(string Message, string? Code);
