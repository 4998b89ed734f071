using GraphQL.Types;

namespace InclusionMap.Server.GraphQL;

public sealed class SiteConnectionType : ObjectGraphType<SiteConnection>
{
    public SiteConnectionType()
    {
        Name = "SiteConnection";
        Description = "A page of sites (Relay cursor connection).";
        Field<NonNullGraphType<IntGraphType>>("totalCount").Description("All the sites matching the filters (not only this page).")
            .Cost(QueryCost.Statement)
            .ResolveAsync(async ctx => await ctx.Source.Page.CountAsync(ctx.CancellationToken));
        Field<NonNullGraphType<PageInfoGraphType>>("pageInfo").Resolve(ctx =>
            new PageInfoData(ctx.Source.Page.HasNextPage, ctx.Source.Page.HasPreviousPage, ctx.Source.Page.Hits.FirstOrDefault()?.Cursor,
                ctx.Source.Page.Hits.LastOrDefault()?.Cursor));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<SiteEdgeType>>>>("edges").Resolve(ctx => ctx.Source.Page.Hits);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<SiteType>>>>("nodes").Description("The sites of this page, without edges.")
            .Resolve(ctx => ctx.Source.Page.Hits.Select(h => h.Site));
    }
}
