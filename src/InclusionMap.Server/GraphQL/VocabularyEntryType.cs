using GraphQL.Types;

namespace InclusionMap.Server.GraphQL;

public sealed class VocabularyEntryType : ObjectGraphType<VocabularyEntry>
{
    public VocabularyEntryType()
    {
        Name = "VocabularyEntry";
        Description = "A value of a national-schema vocabulary: the GraphQL enum value and the official French label.";
        Field(x => x.Value).Description("The GraphQL enum value, e.g. AIDE_AUX_DEMARCHES_ADMINISTRATIVES.");
        Field(x => x.Label).Description("The official label, e.g. « Aide aux démarches administratives ».");
    }
}
