using GraphQL.Types;

namespace InclusionMap.Server.GraphQL;

public sealed class PageInfoGraphType : ObjectGraphType<PageInfoData>
{
    public PageInfoGraphType()
    {
        Name = "PageInfo";
        Description = "Relay page information.";
        Field(x => x.HasNextPage);
        Field(x => x.HasPreviousPage);
        Field(x => x.StartCursor, nullable: true);
        Field(x => x.EndCursor, nullable: true);
    }
}
