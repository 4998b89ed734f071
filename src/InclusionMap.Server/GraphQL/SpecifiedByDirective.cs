using GraphQL.Types;
using GraphQLParser.AST;

namespace InclusionMap.Server.GraphQL;

/// <summary>
/// <c>@specifiedBy(url:)</c> of the GraphQL specification: where a custom scalar's format is specified. Introspection
/// shows it as the type's <c>specifiedByURL</c>.
/// </summary>
public sealed class SpecifiedByDirective : Directive
{
    public const string DirectiveName = "specifiedBy";
    public const string Url = "url";

    /// <summary>Listed by introspection too, so that tools that read the schema that way know it.</summary>
    public override bool? Introspectable => true;

    public SpecifiedByDirective() : base(DirectiveName, DirectiveLocation.Scalar)
    {
        Description = "Exposes a URL that specifies the behavior of this scalar.";
        Arguments = new QueryArguments(new QueryArgument<NonNullGraphType<StringGraphType>>
        {
            Name = Url,
            Description = "The URL that specifies the behavior of this scalar.",
        });
    }
}
