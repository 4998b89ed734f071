using GraphQL.Types;
using InclusionMap.Data.Analysis;

namespace InclusionMap.Server.GraphQL;

public sealed class CommuneCoverageType : ObjectGraphType<CommuneCoverage>
{
    public CommuneCoverageType()
    {
        Name = "CommuneCoverage";
        Field(x => x.Code);
        Field<NonNullGraphType<StringGraphType>>("name").Resolve(ctx => ctx.Source.Nom);
        Field(x => x.Population);
        Field(x => x.PeopleInNeed).Description("Estimated people aged 15+ in illectronism.");
        Field(x => x.IllectronismRate, nullable: true);
        Field<GeoJsonGraphType>("centre")
            .Description("The commune's point on surface, from which distances are measured.")
            .Resolve(ctx => ctx.Source.Centre);
        Field<IdGraphType>("nearestSiteId")
            .Resolve(ctx => ctx.Source.NearestSiteId?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Field(x => x.NearestSiteName, nullable: true);
        Field(x => x.NearestDistanceMeters, nullable: true)
            .Description("Straight-line distance to the nearest matching site (null when there is none).");
        Field(x => x.Beyond).Description("True when the nearest matching site is beyond the threshold.");
        Field(x => x.Accessibility)
            .Description("E2SFCA index: weekly opening hours within reach per 1,000 people in need (docs/coverage.md).");
    }
}
