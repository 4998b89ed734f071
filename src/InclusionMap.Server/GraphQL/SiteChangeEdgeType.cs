using GraphQL.Types;
using InclusionMap.Data.History;

namespace InclusionMap.Server.GraphQL;

public sealed class SiteChangeEdgeType : ObjectGraphType<SiteChange>
{
    public SiteChangeEdgeType()
    {
        Name = "SiteChangeEdge";
        Field<NonNullGraphType<StringGraphType>>("cursor").Resolve(ctx => SiteHistoryField.Cursor(ctx.Source.Id));
        Field<NonNullGraphType<SiteChangeType>>("node").Resolve(ctx => ctx.Source);
    }
}
