using System.Linq.Expressions;
using Microsoft.AspNetCore.OData.Query.Expressions;
using Microsoft.OData.UriParser;

namespace InclusionMap.Server.OData;

internal sealed class FeedFilterBinder(GeoTranslation spatial) : FilterBinder
{
    public override Expression BindSingleValueFunctionCallNode(SingleValueFunctionCallNode node, QueryBinderContext context) =>
        spatial.BindFunctionCall(this, node, context, ordering: false, () => base.BindSingleValueFunctionCallNode(node, context));

    public override Expression BindBinaryOperatorNode(BinaryOperatorNode node, QueryBinderContext context) =>
        spatial.TryBindWithin(this, node, context) ?? base.BindBinaryOperatorNode(node, context);

    public override Expression BindPropertyAccessQueryNode(SingleValuePropertyAccessNode node, QueryBinderContext context)
    {
        GeoTranslation.RefuseBareSpatial(node);
        return base.BindPropertyAccessQueryNode(node, context);
    }
}
