using GraphQL.Types;

namespace InclusionMap.Server.GraphQL;

public sealed class CommuneSuggestionType : ObjectGraphType<CommuneSuggestion>
{
    public CommuneSuggestionType()
    {
        Name = "CommuneSuggestion";
        Field(x => x.Code);
        Field(x => x.Name);
        Field(x => x.DepartementCode);
        Field(x => x.Population, nullable: true);
        Field(x => x.CodesPostaux);
        Field(x => x.Latitude, nullable: true).Description("A point inside the commune.");
        Field(x => x.Longitude, nullable: true);
    }
}
