using GraphQL.Types;
using InclusionMap.Data.Moderation;

namespace InclusionMap.Server.GraphQL;

public sealed class SuggestionStatusType : EnumerationGraphType<SuggestionStatus>
{
    public SuggestionStatusType() => Name = "SuggestionStatus";
}
