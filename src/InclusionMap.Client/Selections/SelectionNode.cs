using System.Text;

namespace InclusionMap.Client;

/// <summary>One selected field and, for an object, what is selected under it.</summary>
internal sealed record SelectedField(GraphQLFieldInfo Field, SelectionNode? Selection);

/// <summary>A selection set over an object type of the schema, in the schema's field order.</summary>
internal sealed class SelectionNode(Type type, IReadOnlyList<SelectedField> fields)
{
    // The server refuses selections deeper than 12 levels; defaults never come near that.
    private const int MaxDefaultDepth = 8;

    public Type Type { get; } = type;
    public IReadOnlyList<SelectedField> Fields { get; } = fields;

    /// <summary>
    /// Every field without required arguments, objects with their own defaults, except fields leading to a type the Query
    /// serves by itself (fetch those by their code) and, for the items of a list, lists of objects without paging argument
    /// (each multiplies the cost of every item by its size against the server's cost limit).
    /// </summary>
    public static SelectionNode Default(Type type, bool inList, int depth = 0)
    {
        var fields = new List<SelectedField>();
        foreach (var field in SchemaInfo.FieldsOf(type))
        {
            var leftOut = field.Has(FieldTraits.NeedsArguments) || field.Has(FieldTraits.Reference)
                || (inList && field.Has(FieldTraits.Unpaged));
            if (leftOut) continue;
            if (field.ObjectType is null)
            {
                fields.Add(new SelectedField(field, null));
                continue;
            }
            if (depth >= MaxDefaultDepth) continue;
            var under = Default(field.ObjectType, inList || field.Has(FieldTraits.List) || field.Has(FieldTraits.PageItems), depth + 1);
            if (under.Fields.Count > 0) fields.Add(new SelectedField(field, under));
        }
        return new SelectionNode(type, fields);
    }

    /// <summary>Adds a field, or replaces its sub-selection, keeping the schema's order.</summary>
    public SelectionNode With(GraphQLFieldInfo field, SelectionNode? selection)
    {
        if (field.ObjectType is not null && selection is null) selection = Default(field.ObjectType, field.Has(FieldTraits.List));
        if (field.ObjectType != selection?.Type)
        {
            var kind = field.ObjectType is null ? "a leaf" : "of type " + field.ObjectType.Name;
            throw new ArgumentException($"{field.Name} is {kind}.", nameof(selection));
        }
        if (field.Has(FieldTraits.NeedsArguments))
            throw new ArgumentException($"{field.Name} needs arguments: write the query and send it with QueryAsync.", nameof(field));
        var order = SchemaInfo.FieldsOf(Type).ToList();
        var fields = Fields.Where(f => f.Field.Name != field.Name).Append(new SelectedField(field, selection))
            .OrderBy(f => order.IndexOf(f.Field)).ToList();
        return new SelectionNode(Type, fields);
    }

    public SelectionNode Without(GraphQLFieldInfo field) => new(Type, Fields.Where(f => f.Field.Name != field.Name).ToList());

    /// <summary>A connection's default selection whose edges carry <paramref name="node"/> as their node.</summary>
    public static SelectionNode Page(Type connection, SelectionNode node)
    {
        var page = Default(connection, inList: false);
        var edges = page.Fields.Single(f => f.Field.Has(FieldTraits.PageItems));
        var edge = edges.Selection!;
        var nodeField = SchemaInfo.FieldsOf(edge.Type).Single(f => f.Name == "node");
        return page.With(edges.Field, edge.With(nodeField, node));
    }

    /// <summary>
    /// What the server's cost model counts for this selection under one field (docs/api-graphql.md): each field its weight,
    /// plus its children's cost times its number of items (the page size for a connection's edges and nodes).
    /// </summary>
    public double Cost(int pageSize) =>
        Fields.Sum(f => f.Field.Weight + Multiplier(f.Field, pageSize) * (f.Selection?.Cost(pageSize) ?? 0));

    private static int Multiplier(GraphQLFieldInfo field, int pageSize) =>
        field.Has(FieldTraits.PageItems) ? pageSize : field.Has(FieldTraits.List) ? field.ListMultiplier : 1;

    public override string ToString()
    {
        var text = new StringBuilder();
        Write(text);
        return text.ToString();
    }

    private void Write(StringBuilder text)
    {
        for (var i = 0; i < Fields.Count; i++)
        {
            if (i > 0) text.Append(' ');
            text.Append(Fields[i].Field.Name);
            if (Fields[i].Selection is { } under)
            {
                text.Append(" { ");
                under.Write(text);
                text.Append(" }");
            }
        }
    }
}
