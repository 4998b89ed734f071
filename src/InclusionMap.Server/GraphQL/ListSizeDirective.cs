using GraphQL.Types;
using GraphQLParser.AST;

namespace InclusionMap.Server.GraphQL;

/// <summary>
/// <c>@listSize(assumedSize:, slicingArguments:, sizedFields:)</c>, as in the GraphQL cost directive specification: how
/// many items a list holds, for the cost of what it holds (<see cref="QueryCost"/>).
/// </summary>
public sealed class ListSizeDirective : Directive
{
    public const string DirectiveName = "listSize";
    public const string AssumedSize = "assumedSize";
    public const string SlicingArguments = "slicingArguments";
    public const string SizedFields = "sizedFields";

    /// <summary>Listed by introspection too, so that tools that read the schema that way know it.</summary>
    public override bool? Introspectable => true;

    public ListSizeDirective() : base(DirectiveName, DirectiveLocation.FieldDefinition)
    {
        Description = "How many items a list holds: the value of its slicing argument (its default when not given), on the field itself " +
            "or, for a connection, on its sized fields; else the assumed size. A list of objects without it is assumed to hold 20.";
        Arguments = new QueryArguments(
            new QueryArgument<IntGraphType> { Name = AssumedSize },
            new QueryArgument<ListGraphType<NonNullGraphType<StringGraphType>>> { Name = SlicingArguments },
            new QueryArgument<ListGraphType<NonNullGraphType<StringGraphType>>> { Name = SizedFields });
    }
}
