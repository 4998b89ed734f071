using GraphQL.Types;

namespace InclusionMap.Server.GraphQL;

public sealed class SiteChangeConnectionType : ObjectGraphType<SiteChangeConnection>
{
    public SiteChangeConnectionType()
    {
        Name = "SiteChangeConnection";
        Description = "A page of a site's history, newest first (Relay cursor connection).";
        Field<NonNullGraphType<PageInfoGraphType>>("pageInfo")
            .Resolve(ctx => new PageInfoData(ctx.Source.HasNextPage, ctx.Source.HasPreviousPage,
            ctx.Source.Changes.Count > 0 ? SiteHistoryField.Cursor(ctx.Source.Changes[0].Id) : null,
            ctx.Source.Changes.Count > 0 ? SiteHistoryField.Cursor(ctx.Source.Changes[^1].Id) : null));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<SiteChangeEdgeType>>>>("edges").Resolve(ctx => ctx.Source.Changes);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<SiteChangeType>>>>("nodes").Resolve(ctx => ctx.Source.Changes);
    }
}
