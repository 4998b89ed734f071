using System.Diagnostics;
using GraphQL;
using GraphQL.Execution;
using GraphQLParser.Exceptions;
using Microsoft.Extensions.Options;

namespace InclusionMap.Server.GraphQL;

/// <summary>
/// What becomes of an exception a resolver (or graphql-dotnet itself) did not expect: it is logged with the request's
/// trace id, and the client gets <c>INTERNAL_ERROR</c>, a generic message and that trace id
/// (<c>extensions.traceId</c>, as on every error), never the exception's type, message or stack. A document nested beyond what the parser
/// reads is a refusal, not a failure.
/// </summary>
public static class GraphQLFailures
{
    public const string GenericMessage = "The server could not answer this field. Quote the traceId when reporting it.";

    /// <summary>
    /// For <see cref="ExecutionOptions.UnhandledExceptionDelegate"/>: replaces the exception with the error the client gets.
    /// </summary>
    public static Task HandleAsync(UnhandledExceptionContext context, HttpContext http)
    {
        if (context.OriginalException is GraphQLMaxDepthExceededException)
        {
            var limit = http.RequestServices.GetRequiredService<IOptions<GraphQLLimits>>().Value.MaxDepth;
            context.Exception = new ExecutionError($"A document may nest fields {limit} levels deep; this one is nested far deeper.")
            {
                Code = GraphQLErrorCodes.MaxDepthExceeded,
            };
            return Task.CompletedTask;
        }
        var traceId = TraceId(http);
        var field = context.FieldContext?.FieldAst.Name.StringValue;
        http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(GraphQLFailures))
            .LogError(context.OriginalException, "GraphQL request {TraceId} failed on field {Field}", traceId, field ?? "(document)");
        context.Exception = new ExecutionError(GenericMessage) { Code = GraphQLErrorCodes.InternalError };
        return Task.CompletedTask;
    }

    /// <summary>
    /// The id of the request in logs and traces: the W3C trace id (a client's <c>traceparent</c> when it sent one), else
    /// ASP.NET Core's request id. Every error carries it (<c>extensions.traceId</c>).
    /// </summary>
    public static string? TraceId(HttpContext? http) => Activity.Current?.TraceId.ToHexString() ?? http?.TraceIdentifier;
}
