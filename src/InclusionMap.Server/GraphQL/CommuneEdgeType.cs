using GraphQL.Types;

namespace InclusionMap.Server.GraphQL;

public sealed class CommuneEdgeType : ObjectGraphType<CommuneEdge>
{
    public CommuneEdgeType()
    {
        Name = "CommuneEdge";
        Field(x => x.Cursor);
        Field<NonNullGraphType<CommuneType>>("node").Resolve(ctx => ctx.Source.Node);
    }
}
