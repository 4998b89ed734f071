using System.Linq.Expressions;
using Microsoft.AspNetCore.OData.Query.Expressions;
using Microsoft.OData.UriParser;

namespace InclusionMap.Server.OData;

internal sealed class FeedOrderByBinder(GeoTranslation spatial) : OrderByBinder
{
    public override Expression BindSingleValueFunctionCallNode(SingleValueFunctionCallNode node, QueryBinderContext context) =>
        spatial.BindFunctionCall(this, node, context, ordering: true, () => base.BindSingleValueFunctionCallNode(node, context));

    public override Expression BindPropertyAccessQueryNode(SingleValuePropertyAccessNode node, QueryBinderContext context)
    {
        GeoTranslation.RefuseBareSpatial(node);
        return base.BindPropertyAccessQueryNode(node, context);
    }
}
