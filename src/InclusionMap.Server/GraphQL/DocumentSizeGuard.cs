using GraphQL;
using GraphQL.DI;
using GraphQL.Execution;
using GraphQL.Validation.Errors.Custom;
using GraphQLParser.AST;
using GraphQLParser.Exceptions;
using GraphQLParser.Visitors;
using Microsoft.Extensions.Options;

namespace InclusionMap.Server.GraphQL;

/// <summary>
/// Refuses a document holding more fields or directives than <see cref="GraphQLLimits"/> allows, counted on the parsed
/// document before graphql-dotnet validates it: several validation rules grow faster than the number of fields, and
/// thousands of aliases of a cheap field (<c>__typename</c>) stay within the cost limit. Every node of the text counts
/// once: the fields of a fragment once, however often it is spread. The document parsed here is the one the engine
/// validates and runs (and the one <see cref="ParsedDocumentCache"/> keeps), so it is parsed once.
/// </summary>
public sealed class DocumentSizeGuard(IDocumentBuilder documents, IOptions<GraphQLLimits> limits) : IConfigureExecution
{
    /// <summary>After <see cref="ParsedDocumentCache"/> (200), which hands over the documents it keeps.</summary>
    public float SortOrder => 210;

    public async Task<ExecutionResult> ExecuteAsync(ExecutionOptions options, ExecutionDelegate next)
    {
        if (options.Document is null && options.Query is not null)
        {
            try
            {
                options.Document = documents.Build(options.Query);
            }
            catch (GraphQLParserException)
            {
                return await next(options); // the engine parses it again and reports the error as it always does
            }
        }
        if (options.Document is { } document && Refusal(document, limits.Value) is { } refusal)
            return new ExecutionResult { Errors = [refusal] };
        return await next(options);
    }

    /// <summary>The refusal of a document beyond the limits, or null.</summary>
    private static ExecutionError? Refusal(GraphQLDocument document, GraphQLLimits limits)
    {
        var counts = Count(document);
        if (counts.Fields > limits.MaxFields)
            return new ComplexityError(
                $"A document may hold {limits.MaxFields} fields; this one holds {counts.Fields} (each alias and __typename counts).")
            {
                Code = GraphQLErrorCodes.MaxComplexityExceeded,
            };
        if (counts.Directives > limits.MaxDirectives)
            return new ComplexityError($"A document may hold {limits.MaxDirectives} directives; this one holds {counts.Directives}.")
            {
                Code = GraphQLErrorCodes.MaxComplexityExceeded,
            };
        return null;
    }

    /// <summary>The field selections and directives of every definition of the document.</summary>
    private static (int Fields, int Directives) Count(GraphQLDocument document)
    {
        var counts = new Counts();
        var visit = Counter.Instance.VisitAsync(document, counts);
        if (!visit.IsCompleted) throw new InvalidOperationException("The counter visits synchronously.");
        visit.GetAwaiter().GetResult();
        return (counts.Fields, counts.Directives);
    }

    private sealed class Counts : IASTVisitorContext
    {
        public int Fields { get; set; }

        public int Directives { get; set; }

        public CancellationToken CancellationToken => CancellationToken.None;
    }

    private sealed class Counter : ASTVisitor<Counts>
    {
        public static readonly Counter Instance = new();

        protected override ValueTask VisitFieldAsync(GraphQLField field, Counts context)
        {
            context.Fields++;
            return base.VisitFieldAsync(field, context);
        }

        protected override ValueTask VisitDirectiveAsync(GraphQLDirective directive, Counts context)
        {
            context.Directives++;
            return base.VisitDirectiveAsync(directive, context);
        }
    }
}
