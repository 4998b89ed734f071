using GraphQL.Types;

namespace InclusionMap.Server.GraphQL;

public sealed class ConflictChoiceType : EnumerationGraphType
{
    public ConflictChoiceType()
    {
        Name = "ConflictChoice";
        Add("EDITED", true, "Keep the edited value: it wins again, until a still newer source record.");
        Add("SOURCE", false, "Keep the source's newer value: the edit is dismissed.");
    }
}
