using System.Linq.Expressions;
using System.Reflection;

namespace InclusionMap.Client;

/// <summary>
/// The fields a query asks for on a <typeparamref name="T"/>, built from the generated types so that a typo does not
/// compile: <c>Selection&lt;Site&gt;.Of(s =&gt; s.Id, s =&gt; s.Nom, s =&gt; s.Latitude, s =&gt; s.Longitude)</c>, or
/// <c>Selection&lt;Site&gt;.Default.With(s =&gt; s.Sources)</c>. Fields outside the selection keep their C# default
/// (null, empty list, 0) in the answer. Fields with arguments (<c>isOpenAt(at:)</c>, a commune's <c>sites(…)</c>) are
/// asked with <see cref="InclusionMapClient.QueryAsync{T}"/>.
/// </summary>
public sealed class Selection<T> where T : class
{
    private Selection(SelectionNode node) => Node = node;

    internal SelectionNode Node { get; }

    /// <summary>
    /// Every field without arguments, objects with their own defaults; fields leading to another type the Query serves
    /// (a site's <c>commune</c>, a commune's <c>departement</c> or <c>sites</c>) are left out: ask for them by their code.
    /// The default of single answers (<c>site(id)</c>, <c>commune(code)</c>, <c>coverage</c>).
    /// </summary>
    public static Selection<T> Default { get; } = new(SelectionNode.Default(typeof(T), inList: false));

    /// <summary>
    /// <see cref="Default"/> without the lists of objects that have no paging argument (a site's <c>sources</c>, its
    /// <c>openingHours.weekly</c>): each multiplies the cost of every item of a page (by 5, by 7) and a list rarely needs
    /// them. The default of lists and pages.
    /// </summary>
    public static Selection<T> DefaultForLists { get; } = new(SelectionNode.Default(typeof(T), inList: true));

    /// <summary>These fields only; an object field comes with its type's default selection (see <see cref="With{TField}"/>).</summary>
    public static Selection<T> Of(params Expression<Func<T, object?>>[] fields) =>
        new(fields.Aggregate(new SelectionNode(typeof(T), []), (node, field) => node.With(Field(field), null)));

    /// <summary>This selection and one more field (an object field with its type's default selection).</summary>
    public Selection<T> With(Expression<Func<T, object?>> field) => new(Node.With(Field(field), null));

    /// <summary>This selection and an object field (or list of objects) with the given selection under it.</summary>
    public Selection<T> With<TField>(Expression<Func<T, object?>> field, Selection<TField> selection) where TField : class =>
        new(Node.With(Field(field), selection.Node));

    /// <summary>This selection without a field.</summary>
    public Selection<T> Without(Expression<Func<T, object?>> field) => new(Node.Without(Field(field)));

    /// <summary>The GraphQL selection set, e.g. <c>id nom openingHours { osm known }</c>.</summary>
    public override string ToString() => Node.ToString();

    private static GraphQLFieldInfo Field(Expression<Func<T, object?>> field)
    {
        var body = field.Body is UnaryExpression { NodeType: ExpressionType.Convert } convert ? convert.Operand : field.Body;
        if (body is MemberExpression { Member: PropertyInfo property } member && member.Expression == field.Parameters[0])
            return SchemaInfo.FieldsOf(typeof(T)).FirstOrDefault(f => f.Property == property.Name)
                ?? throw new ArgumentException($"{typeof(T).Name}.{property.Name} is not a GraphQL field.", nameof(field));
        var example = SchemaInfo.FieldsOf(typeof(T))[0].Property;
        throw new ArgumentException($"Pick a property of {typeof(T).Name}, e.g. x => x.{example}.", nameof(field));
    }
}
