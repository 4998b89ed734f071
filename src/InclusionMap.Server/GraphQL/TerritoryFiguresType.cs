using GraphQL.Types;
using InclusionMap.Data.Analysis;

namespace InclusionMap.Server.GraphQL;

public sealed class TerritoryFiguresType : ObjectGraphType<TerritoryFigures>
{
    public TerritoryFiguresType()
    {
        Name = "TerritoryFigures";
        Description = "A territory's figures summed from its communes and places (a département, its région, France), "
            + "computed once per catalogue version.";
        Field(x => x.Code).Description("INSEE code of the territory; FR for France.");
        Field(x => x.Name);
        Field(x => x.Population).Description("Population municipale (INSEE), summed over the communes.");
        Field(x => x.Population15Plus).Description("Estimated people aged 15 or more.");
        Field(x => x.PeopleInNeed).Description("Estimated people aged 15+ in illectronism (docs/illectronism.md).");
        Field(x => x.IllectronismRate, nullable: true).Description("peopleInNeed / population15Plus.");
        Field(x => x.Sites).Description("Places of the catalogue in the territory.");
        Field(x => x.SitesPer10000InNeed, nullable: true).Description("Places per 10,000 people in need.");
        Field(x => x.IfnMean, nullable: true)
            .Description("La Mednum's Indice de Fragilité Numérique (0–10, 10 = most fragile) of the communes, "
                + "weighted by their population.");
    }
}
