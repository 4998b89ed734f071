using System.Linq.Expressions;
using System.Reflection;
using InclusionMap.Core;
using InclusionMap.Core.Places;
using Microsoft.AspNetCore.OData.Query.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.OData;
using Microsoft.OData.UriParser;

namespace InclusionMap.Server.OData;

/// <summary>
/// <c>$search</c> on names: each term, folded like the database folds <c>search_text</c> (lower case, no accents), must
/// occur in it; AND, OR, NOT and quoted phrases work. The trigram index on <c>search_text</c> serves the LIKE.
/// </summary>
public sealed class FeedSearchBinder : ISearchBinder
{
    private static readonly MethodInfo Contains = typeof(string).GetMethod(nameof(string.Contains), [typeof(string)])!;

    public Expression BindSearch(SearchClause searchClause, QueryBinderContext context)
    {
        var it = context.CurrentParameter;
        if (it.Type.GetProperty(nameof(Site.SearchText)) is null)
            throw new ODataException("$search is available on Sites and Communes; elsewhere use $filter=contains(Nom,'...').");
        return Expression.Lambda(Bind(searchClause.Expression, Expression.Property(it, nameof(Site.SearchText))), it);
    }

    private static Expression Bind(SingleValueNode node, Expression text) => node switch
    {
        SearchTermNode term => Term(term.Text, text),
        BinaryOperatorNode { OperatorKind: BinaryOperatorKind.And } and => Expression.AndAlso(Bind(and.Left, text), Bind(and.Right, text)),
        BinaryOperatorNode { OperatorKind: BinaryOperatorKind.Or } or => Expression.OrElse(Bind(or.Left, text), Bind(or.Right, text)),
        UnaryOperatorNode { OperatorKind: UnaryOperatorKind.Not } not => Expression.Not(Bind(not.Operand, text)),
        _ => throw new ODataException("Unsupported $search expression."),
    };

    private static Expression Term(string raw, Expression text)
    {
        var folded = TextSearch.Fold(raw);
        if (folded.Length is < 2 or > 100) throw new ODataException("Each $search term must have between 2 and 100 characters.");
        return Expression.Call(text, Contains, GeoTranslation.Parameter(folded));
    }
}
