namespace InclusionMap.Server.GraphQL;

/// <summary>
/// The codes (<c>extensions.code</c>) of the errors the GraphQL endpoint itself gives, beside those of the catalogue's
/// searches (<c>PAGE_SIZE_EXCEEDED</c>, <c>RADIUS_TOO_LARGE</c>, <c>BAD_CURSOR</c>…). docs/api-graphql.md lists them all.
/// </summary>
public static class GraphQLErrorCodes
{
    /// <summary>The request is not a GraphQL request (no query, variables that are not an object, an unknown operation name).</summary>
    public const string InvalidRequest = "INVALID_REQUEST";

    /// <summary>The document does not parse.</summary>
    public const string SyntaxError = "SYNTAX_ERROR";

    /// <summary>The document does not fit the schema (an unknown field or argument, a missing selection…).</summary>
    public const string ValidationFailed = "GRAPHQL_VALIDATION_FAILED";

    /// <summary>A value given as an argument or a variable is not acceptable.</summary>
    public const string BadUserInput = "BAD_USER_INPUT";

    public const string MaxDepthExceeded = "MAX_DEPTH_EXCEEDED";

    public const string MaxComplexityExceeded = "MAX_COMPLEXITY_EXCEEDED";

    /// <summary>Something failed that should not have: logged with the trace id the error carries.</summary>
    public const string InternalError = "INTERNAL_ERROR";
}
