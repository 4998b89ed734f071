using GraphQL.Types;
using Microsoft.EntityFrameworkCore;

namespace InclusionMap.Server.GraphQL;

public sealed class CommuneConnectionType : ObjectGraphType<CommuneConnection>
{
    public CommuneConnectionType()
    {
        Name = "CommuneConnection";
        Field<NonNullGraphType<IntGraphType>>("totalCount").Cost(QueryCost.Statement)
            .ResolveAsync(async ctx => await ctx.Source.Filtered.CountAsync(ctx.CancellationToken));
        Field<NonNullGraphType<PageInfoGraphType>>("pageInfo").Resolve(ctx =>
            new PageInfoData(ctx.Source.HasNextPage, ctx.Source.HasPreviousPage, ctx.Source.Edges.FirstOrDefault()?.Cursor,
                ctx.Source.Edges.LastOrDefault()?.Cursor));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<CommuneEdgeType>>>>("edges").Resolve(ctx => ctx.Source.Edges);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<CommuneType>>>>("nodes").Resolve(ctx => ctx.Source.Edges.Select(e => e.Node));
    }
}
