using GraphQL.Validation;
using GraphQLParser;
using GraphQLParser.AST;

namespace InclusionMap.Server.GraphQL;

/// <summary>
/// One coverage analysis per request: an operation that selects <c>coverage</c> twice (aliases, fragments, inline
/// fragments) is refused while it is validated, before anything runs. Each analysis is seconds of database work and
/// takes one of the server's few analysis places; a client that wants several sends several requests, each counted.
/// </summary>
public sealed class OneAnalysisPerRequestRule : ValidationRuleBase
{
    public const string Code = "MAX_ANALYSES_EXCEEDED";

    public override ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context)
    {
        if (context.Operation is { } operation)
        {
            var analyses = new List<GraphQLField>();
            Collect(context.Document, operation.SelectionSet, analyses, []);
            // Fields with the same name or alias are merged into one by the engine: one analysis.
            var keys = analyses.Select(f => (f.Alias?.Name ?? f.Name).StringValue).Distinct(StringComparer.Ordinal).ToList();
            if (keys.Count > 1)
                context.ReportError(new ValidationError(context.Document.Source, null,
                    $"A request may run one coverage analysis; this one asks for {keys.Count} ({string.Join(", ", keys)}). "
                    + "Send one request per analysis.",
                    [.. analyses]) { Code = Code });
        }
        return default;
    }

    /// <summary>The <c>coverage</c> fields of the operation's root selection, through fragments (each fragment once).</summary>
    private static void Collect(GraphQLDocument document, GraphQLSelectionSet selections, List<GraphQLField> analyses,
        HashSet<string> fragments)
    {
        foreach (var selection in selections.Selections)
        {
            switch (selection)
            {
                case GraphQLField field when field.Name.Value == AnalysisFields.CoverageField:
                    analyses.Add(field);
                    break;
                case GraphQLInlineFragment inline:
                    Collect(document, inline.SelectionSet, analyses, fragments);
                    break;
                case GraphQLFragmentSpread spread when fragments.Add(spread.FragmentName.Name.StringValue)
                                                    && document.FindFragmentDefinition(spread.FragmentName.Name.Value) is { } fragment:
                    Collect(document, fragment.SelectionSet, analyses, fragments);
                    break;
            }
        }
    }
}
