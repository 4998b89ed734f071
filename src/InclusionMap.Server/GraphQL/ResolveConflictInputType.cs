using GraphQL.Types;

namespace InclusionMap.Server.GraphQL;

public sealed class ResolveConflictInputType : InputObjectGraphType
{
    public ResolveConflictInputType()
    {
        Name = "ResolveConflictInput";
        Field<NonNullGraphType<IdGraphType>>("siteId");
        Field<NonNullGraphType<StringGraphType>>("field").Description("The field's GraphQL name, as the conflict gives it.");
        Field<NonNullGraphType<ConflictChoiceType>>("keep");
    }
}
