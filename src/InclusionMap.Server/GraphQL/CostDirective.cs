using GraphQL.Types;
using GraphQLParser.AST;

namespace InclusionMap.Server.GraphQL;

/// <summary>
/// <c>@cost(weight:)</c>, as in the GraphQL cost directive specification (IBM, also Hot Chocolate's): what a field costs
/// for each item of the lists above it, or what an argument adds to its field when it is given (<see cref="QueryCost"/>).
/// </summary>
public sealed class CostDirective : Directive
{
    public const string DirectiveName = "cost";
    public const string Weight = "weight";

    /// <summary>Listed by introspection too, so that tools that read the schema that way know it.</summary>
    public override bool? Introspectable => true;

    public CostDirective() : base(DirectiveName, DirectiveLocation.FieldDefinition, DirectiveLocation.ArgumentDefinition)
    {
        Description = "What the field costs for each item of the lists above it, or what the argument adds to its field when given, " +
            "against the complexity limit (docs/api-graphql.md). Without it: 0.1 for a scalar or an enum, 1 for an object.";
        Arguments = new QueryArguments(
            new QueryArgument<NonNullGraphType<StringGraphType>> { Name = Weight, Description = "A decimal number." });
    }
}
