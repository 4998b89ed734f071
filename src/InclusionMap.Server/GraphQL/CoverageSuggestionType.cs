using GraphQL.Types;
using InclusionMap.Data.Analysis;

namespace InclusionMap.Server.GraphQL;

public sealed class CoverageSuggestionType : ObjectGraphType<CoverageSuggestion>
{
    public CoverageSuggestionType()
    {
        Name = "CoverageSuggestion";
        Field(x => x.Rank);
        Field(x => x.CommuneCode);
        Field(x => x.CommuneName);
        Field<NonNullGraphType<GeoJsonGraphType>>("location").Resolve(ctx => ctx.Source.Location);
        Field<NonNullGraphType<FloatGraphType>>("peopleNewlyCovered")
            .Description("People in need newly within the maximum distance.")
            .Resolve(ctx => ctx.Source.NewlyCovered);
        Field<NonNullGraphType<FloatGraphType>>("latitude").Resolve(ctx => ctx.Source.Location.Y);
        Field<NonNullGraphType<FloatGraphType>>("longitude").Resolve(ctx => ctx.Source.Location.X);
        Field(x => x.CoveredAfter).Description("People in need within the threshold once this and the previous suggestions exist.");
        Field(x => x.CoveredCommunes).Description("The communes beyond the maximum distance that this site brings within it.");
    }
}
