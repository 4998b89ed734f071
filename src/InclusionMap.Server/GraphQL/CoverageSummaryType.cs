using GraphQL.Types;
using InclusionMap.Data.Analysis;

namespace InclusionMap.Server.GraphQL;

public sealed class CoverageSummaryType : ObjectGraphType<CoverageSummary>
{
    public CoverageSummaryType()
    {
        Name = "CoverageSummary";
        Field(x => x.Communes);
        Field(x => x.Population);
        Field(x => x.PeopleInNeed);
        Field(x => x.PeopleInNeedBeyond).Description("People in need whose nearest matching site is beyond the threshold.");
        Field(x => x.ShareBeyond);
        Field(x => x.Sites).Description("Matching sites inside the studied communes.");
        Field(x => x.SitesPer10000InNeed);
        Field<FloatGraphType>("medianDistanceMeters")
            .Description("Median distance to the nearest matching site, over people in need; " +
                "null when no site matches or no one is in need.")
            .Resolve(ctx => double.IsFinite(ctx.Source.MedianDistanceMeters) ? ctx.Source.MedianDistanceMeters : null);
        Field(x => x.CoveredBefore);
        Field(x => x.CoveredAfter).Description("People in need within the threshold once every suggestion exists.");
    }
}
