using GraphQL.Types;

namespace InclusionMap.Server.GraphQL;

public sealed class SuggestionDecisionInputType : InputObjectGraphType
{
    public SuggestionDecisionInputType()
    {
        Name = "SuggestionDecisionInput";
        Field<NonNullGraphType<IdGraphType>>("id");
        Field<StringGraphType>("answer")
            .Description("Mailed to the resident if they left an address (who is told the decision either way).");
    }
}
