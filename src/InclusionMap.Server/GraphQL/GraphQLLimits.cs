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

    /// <summary>
    /// Field selections in a document (aliases, <c>__typename</c> and fields of fragments included, each fragment once),
    /// counted on the parsed document before it is validated (<see cref="DocumentSizeGuard"/>).
    /// </summary>
    [Range(10, 100_000)]
    public int MaxFields { get; set; } = 500;

    /// <summary>Directives in a document (<c>@include</c>, <c>@skip</c>…), counted with the fields.</summary>
    [Range(1, 100_000)]
    public int MaxDirectives { get; set; } = 100;

    /// <summary>Levels of nested fields of an introspection-only document.</summary>
    [Range(2, 64)]
    public int MaxIntrospectionDepth { get; set; } = 20;

    /// <summary>The cost of an introspection-only document.</summary>
    [Range(10, 1_000_000)]
    public int MaxIntrospectionComplexity { get; set; } = 10_000;
}
