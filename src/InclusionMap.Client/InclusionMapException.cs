namespace InclusionMap.Client;

/// <summary>The API answered with errors: <see cref="Errors"/> says which, with their codes.</summary>
public sealed class InclusionMapException(IReadOnlyList<GraphQLError> errors, int statusCode)
    : Exception(string.Join("; ", errors.Select(e => e.Code is null ? e.Message : $"{e.Code}: {e.Message}")))
{
    public IReadOnlyList<GraphQLError> Errors { get; } = errors;

    /// <summary>The HTTP status: 400 for a document that does not parse or validate, 200 for errors while executing.</summary>
    public int StatusCode { get; } = statusCode;

    public IEnumerable<string> Codes => Errors.Select(e => e.Code).OfType<string>();
}
