using GraphQL.Types;
using InclusionMap.Data.Sites;

namespace InclusionMap.Server.GraphQL;

public sealed class SiteEdgeType : ObjectGraphType<SiteHit>
{
    public SiteEdgeType()
    {
        Name = "SiteEdge";
        Field(x => x.Cursor).Description("Opaque keyset cursor: pass it as 'after' for the next page.");
        Field<NonNullGraphType<SiteType>>("node").Resolve(ctx => ctx.Source.Site);
        Field(x => x.DistanceMeters, nullable: true)
            .Description("Great-circle distance from 'near' in metres (PostGIS geography <->, spherical).");
    }
}
