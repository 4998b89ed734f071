using System.ComponentModel.DataAnnotations;

namespace InclusionMap.Server.GraphQL;

/// <summary>
/// The limits of a GraphQL document, checked before it runs (configuration section <c>InclusionMap:GraphQL</c>; the cost
/// model is <see cref="QueryCost"/>). An introspection-only document has limits of its own: it reads the schema in
/// memory, and the standard introspection query of GraphQL tools nests type references 15 levels deep.
/// </summary>
public sealed class GraphQLLimits
{
    public const string Section = "InclusionMap:GraphQL";

    /// <summary>Levels of nested fields.</summary>
    [Range(2, 64)]
    public int MaxDepth { get; set; } = 12;

    /// <summary>The cost of a document (docs/api-graphql.md: a page of 100 sites with 24 fields costs about 260).</summary>
    [Range(10, 1_000_000)]
    public int MaxComplexity { get; set; } = 2_500;

    /// <summary>Levels of nested fields of an introspection-only document.</summary>
    [Range(2, 64)]
    public int MaxIntrospectionDepth { get; set; } = 20;

    /// <summary>The cost of an introspection-only document.</summary>
    [Range(10, 1_000_000)]
    public int MaxIntrospectionComplexity { get; set; } = 10_000;
}
