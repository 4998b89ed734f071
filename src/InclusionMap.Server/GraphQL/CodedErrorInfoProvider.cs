using GraphQL;
using GraphQL.Execution;
using GraphQL.Validation;
using GraphQL.Validation.Errors;
using GraphQL.Validation.Errors.Custom;

namespace InclusionMap.Server.GraphQL;

/// <summary>
/// Gives every error one code of docs/api-graphql.md and a readable message. The errors our resolvers raise keep their
/// code; graphql-dotnet's own get the project's: a document that does not parse <c>SYNTAX_ERROR</c>, one that does not
/// fit the schema <c>GRAPHQL_VALIDATION_FAILED</c>, a value it cannot read as its argument's or variable's type
/// <c>BAD_USER_INPUT</c>, an unknown operation <c>INVALID_REQUEST</c>; an exception nobody expected
/// <c>INTERNAL_ERROR</c> with a generic message (<see cref="GraphQLFailures"/>). Every error carries the request's trace
/// id (<c>extensions.traceId</c>), under which the server logs what went wrong. The codes graphql-dotnet derives from
/// exception types (<c>POSTGRES</c>, <c>INVALID_OPERATION</c>…) and exception messages never reach clients.
/// </summary>
public sealed class CodedErrorInfoProvider(IHttpContextAccessor http) : ErrorInfoProvider(new ErrorInfoProviderOptions())
{
    public override ErrorInfo GetInfo(ExecutionError executionError)
    {
        var (code, message) = Classify(executionError);
        var extensions = new Dictionary<string, object?> { ["code"] = code };
        if (executionError is ValidationError { Number: { } number } && code != GraphQLErrorCodes.InternalError)
            extensions["number"] = number;
        foreach (var (key, value) in executionError.Extensions ?? new Dictionary<string, object?>()) extensions[key] = value;
        if (GraphQLFailures.TraceId(http.HttpContext) is { } traceId) extensions["traceId"] = traceId;
        return new ErrorInfo { Message = message, Extensions = extensions };
    }

    private static (string Code, string Message) Classify(ExecutionError error) => error switch
    {
        SyntaxError => (GraphQLErrorCodes.SyntaxError, error.Message),
        // The limits, and the rules of this API (a plain ValidationError with its code): their code is meant for the client.
        ComplexityError { Code: { } code } when code is GraphQLErrorCodes.MaxDepthExceeded or GraphQLErrorCodes.MaxComplexityExceeded
            => (code, error.Message),
        ValidationError { InnerException: null, Code: { } code } when error.GetType() == typeof(ValidationError) => (code, error.Message),
        // A variable's error says only that its value could not be converted: the reason a scalar of this API gave is added.
        InvalidVariableError when Reason(error) is { } reason => (GraphQLErrorCodes.BadUserInput, $"{error.Message}: {reason}"),
        ArgumentsOfCorrectTypeError or DefaultValuesOfCorrectTypeError or InvalidLiteralError or InvalidValueError or InvalidVariableError
            or OneOfInputValuesError or InputFieldsAndArgumentsOfCorrectLengthError => (GraphQLErrorCodes.BadUserInput, error.Message),
        ValidationError => (GraphQLErrorCodes.ValidationFailed, error.Message),
        DocumentError => (GraphQLErrorCodes.InvalidRequest, error.Message),
        UnhandledError => (GraphQLErrorCodes.InternalError, GraphQLFailures.GenericMessage),
        // Raised on purpose by the API's own code: its code and message are meant for the client.
        { InnerException: null, Code: { } code } => (code, error.Message),
        _ => (GraphQLErrorCodes.InternalError, GraphQLFailures.GenericMessage),
    };

    private static string? Reason(Exception error)
    {
        for (var e = error.InnerException; e is not null; e = e.InnerException)
            if (e is InvalidInputException) return e.Message;
        return null;
    }
}
