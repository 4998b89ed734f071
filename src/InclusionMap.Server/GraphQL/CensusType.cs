using GraphQL.Types;
using InclusionMap.Core.Territories;

namespace InclusionMap.Server.GraphQL;

public sealed class CensusType : ObjectGraphType<Commune>
{
    public CensusType()
    {
        Name = "CensusIndicators";
        Description = "INSEE census 2017 indicators of the commune (via Data For Good), as fractions 0..1; null where not published.";
        Field(x => x.ShareNoDiploma, nullable: true).Description("Share of the non-enrolled population 15+ with no or a low diploma.");
        Field(x => x.Share65Plus, nullable: true).Description("Share of people aged 65 or more.");
        Field(x => x.Share25OrUnder, nullable: true).Description("Share of people aged 25 or less.");
        Field(x => x.ShareLivingAlone, nullable: true).Description("Share of one-person households.");
        Field(x => x.ShareSingleParentFamilies, nullable: true);
        Field(x => x.PovertyRate, nullable: true).Description("Filosofi poverty rate (published for about 5,600 communes only).");
    }
}
