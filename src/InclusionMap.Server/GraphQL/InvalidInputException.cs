namespace InclusionMap.Server.GraphQL;

/// <summary>
/// A value one of this API's scalars refuses, with a reason written for the client: graphql-dotnet quotes it for an
/// inline value, and <see cref="CodedErrorInfoProvider"/> adds it to the error of a variable (whose message would
/// otherwise only say that the value could not be converted).
/// </summary>
public sealed class InvalidInputException(string reason) : FormatException(reason);
