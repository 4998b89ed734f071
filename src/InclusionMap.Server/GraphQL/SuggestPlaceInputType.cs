using GraphQL.Types;

namespace InclusionMap.Server.GraphQL;

public sealed class SuggestPlaceInputType : InputObjectGraphType
{
    public static readonly IReadOnlySet<string> Required = new HashSet<string> { "nom", "adresse", "codePostal", "communeName" };

    public SuggestPlaceInputType()
    {
        Name = "SuggestPlaceInput";
        Description = "A place to add, with the national schema's main fields (no account needed). Without a position, the place is put at "
            + "the centre of its commune, found from codeInsee, or from codePostal and communeName.";
        SiteInputFields.Add(this, Required, new HashSet<string> { "temporarilyClosedFrom", "temporarilyClosedUntil" });
        Field<StringGraphType>("message").Description("Anything the coordinators should know (2,000 characters at most).");
        Field<StringGraphType>("email").Description("Optional: an address to be told whether the place was added.");
    }
}
