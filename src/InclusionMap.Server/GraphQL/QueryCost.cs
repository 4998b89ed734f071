using System.Globalization;
using System.Runtime.CompilerServices;
using GraphQL;
using GraphQL.Builders;
using GraphQL.Types;
using GraphQL.Validation;
using GraphQL.Validation.Complexity;
using GraphQL.Validation.Errors.Custom;
using GraphQLParser;
using GraphQLParser.AST;

namespace InclusionMap.Server.GraphQL;

/// <summary>
/// What a query costs against the limits (docs/api-graphql.md, "Cost"), checked before it runs. A field costs its
/// weight times the number of items of the lists above it: a value already loaded 0.1, an object 1, a field that sends a
/// statement to the database 10 (once per item of its parent), the costly ones their <c>@cost</c> (<c>openAt</c>,
/// <c>coverage</c>). A list of objects counts its items: its <c>first</c> (or the connection's, for <c>edges</c> and
/// <c>nodes</c>), else the size its <c>@listSize</c> assumes, else 20. The weights and sizes are declared on the schema
/// with <c>@cost</c> and <c>@listSize</c> (<see cref="Cost{TSource, TReturn}"/>, <see cref="ListSize{TSource, TReturn}"/>),
/// so the SDL shows them and the .NET client prices its pages the same way. Introspection is priced by the size of this
/// schema (<see cref="IntrospectionSizes"/>) and an introspection-only document has limits of its own.
/// </summary>
public static class QueryCost
{
    /// <summary>A value the request already holds (a column read with its row, a computed value).</summary>
    public const double Leaf = 0.1;

    /// <summary>An object made from its parent's data, or loaded once for a whole page (a site's commune, its sources).</summary>
    public const double Object = 1;

    /// <summary>A field that sends a statement to the database, once per item of the lists above it.</summary>
    public const double Statement = 10;

    /// <summary>The assumed size of a list of objects that declares none.</summary>
    public const int AssumedListSize = 20;

    private const string WeightKey = "inclusionmap:cost";
    private const string AssumedSizeKey = "inclusionmap:assumedSize";
    private const string SlicingArgumentKey = "inclusionmap:slicingArgument";
    private const string SizedFieldsKey = "inclusionmap:sizedFields";

    /// <summary>Gives a field its weight (<c>@cost</c>).</summary>
    public static FieldBuilder<TSource, TReturn> Cost<TSource, TReturn>(this FieldBuilder<TSource, TReturn> field, double weight)
    {
        field.FieldType.ApplyDirective(CostDirective.DirectiveName, CostDirective.Weight, Format(weight)).WithMetadata(WeightKey, weight);
        return field;
    }

    /// <summary>Gives an argument the weight it adds to its field when it is given (<c>@cost</c>).</summary>
    public static void Cost(this QueryArgument argument, double weight) =>
        argument.ApplyDirective(CostDirective.DirectiveName, CostDirective.Weight, Format(weight)).WithMetadata(WeightKey, weight);

    /// <summary>
    /// How many items a list field returns (<c>@listSize</c>): the value of <paramref name="slicingArgument"/> (its default
    /// when not given), on the field itself or, for a connection, on its <paramref name="sizedFields"/>; else
    /// <paramref name="assumedSize"/>.
    /// </summary>
    public static FieldBuilder<TSource, TReturn> ListSize<TSource, TReturn>(this FieldBuilder<TSource, TReturn> field,
        int? assumedSize = null, string? slicingArgument = null, string[]? sizedFields = null)
    {
        field.FieldType.ApplyDirective(ListSizeDirective.DirectiveName, d =>
        {
            if (assumedSize is { } size) d.AddArgument(new DirectiveArgument(ListSizeDirective.AssumedSize) { Value = size });
            if (slicingArgument is not null)
                d.AddArgument(new DirectiveArgument(ListSizeDirective.SlicingArguments) { Value = new[] { slicingArgument } });
            if (sizedFields is not null) d.AddArgument(new DirectiveArgument(ListSizeDirective.SizedFields) { Value = sizedFields });
        });
        if (assumedSize is { } assumed) field.FieldType.WithMetadata(AssumedSizeKey, assumed);
        if (slicingArgument is not null) field.FieldType.WithMetadata(SlicingArgumentKey, slicingArgument);
        if (sizedFields is not null) field.FieldType.WithMetadata(SizedFieldsKey, sizedFields);
        return field;
    }

    /// <summary>The limits and the cost model, for <c>AddComplexityAnalyzer</c>.</summary>
    public static void Configure(ComplexityOptions options, GraphQLLimits limits)
    {
        options.MaxDepth = limits.MaxDepth;
        options.MaxComplexity = limits.MaxComplexity;
        options.DefaultComplexityImpactDelegate = Impact;
        options.ValidateComplexityDelegate = context =>
        {
            context.Error = Refusal(context.ValidationContext, context.TotalImpact, context.MaxDepth, limits);
            return Task.CompletedTask;
        };
    }

    /// <summary>The cost of one field: its weight (and that of its arguments given), and how many items its children count.</summary>
    public static FieldComplexityResult Impact(FieldImpactContext context)
    {
        if (IsIntrospection(context)) return IntrospectionImpact(context);
        var field = context.FieldDefinition;
        var weight = field.GetMetadata<double?>(WeightKey) ?? (field.ResolvedType!.GetNamedType() is ScalarGraphType ? Leaf : Object);
        foreach (var argument in field.Arguments ?? [])
            if (argument.GetMetadata<double?>(WeightKey) is { } extra
                && context.Arguments?.TryGetValue(argument.Name, out var given) == true && given.Value is not null)
                weight += extra;
        return new(weight, IsList(field.ResolvedType) ? ItemsOf(context) : 1);
    }

    private static double ItemsOf(FieldImpactContext context)
    {
        var field = context.FieldDefinition;
        if (field.GetMetadata<string?>(SlicingArgumentKey) is { } own) return Slice(context, own);
        if (context.Parent is { } parent && parent.FieldDefinition.GetMetadata<string[]?>(SizedFieldsKey)?.Contains(field.Name) == true
            && parent.FieldDefinition.GetMetadata<string?>(SlicingArgumentKey) is { } slicing)
            return Slice(parent, slicing);
        return field.GetMetadata<int?>(AssumedSizeKey) ?? AssumedListSize;
    }

    /// <summary>The page size asked for (the argument's default when it is not given); never below zero.</summary>
    private static double Slice(FieldImpactContext context, string argument)
    {
        var given = context.Arguments?.TryGetValue(argument, out var value) == true ? value.Value : null;
        var size = given ?? context.FieldDefinition.Arguments?.Find(argument)?.DefaultValue;
        return size is int n ? Math.Max(0, n) : AssumedListSize;
    }

    private static bool IsList(IGraphType? type) => (type is NonNullGraphType nonNull ? nonNull.ResolvedType : type) is ListGraphType;

    /// <summary>
    /// The refusal of a document beyond the limits, or null. An introspection-only document (all its root fields are
    /// <c>__schema</c>, <c>__type</c> or <c>__typename</c>) has limits of its own: it reads the schema in memory, and the
    /// standard introspection query of GraphQL tools nests type references deeper than data queries need.
    /// </summary>
    private static ComplexityError? Refusal(ValidationContext context, double cost, int depth, GraphQLLimits limits)
    {
        var introspection = IsIntrospectionOnly(context.Document, context.Operation.SelectionSet, depth: 0);
        var (maxDepth, maxCost) = introspection
            ? (limits.MaxIntrospectionDepth, limits.MaxIntrospectionComplexity)
            : (limits.MaxDepth, limits.MaxComplexity);
        var what = introspection ? "An introspection document" : "A document";
        if (depth > maxDepth)
            return new ComplexityError($"{what} may nest fields {maxDepth} levels deep; this one has {depth}.")
            {
                Code = GraphQLErrorCodes.MaxDepthExceeded,
            };
        if (cost > maxCost)
            return new ComplexityError(string.Create(CultureInfo.InvariantCulture,
                $"{what} may cost {maxCost}; this one costs {Math.Ceiling(cost)} ({CostModelReference})."))
            {
                Code = GraphQLErrorCodes.MaxComplexityExceeded,
            };
        return null;
    }

    private static bool IsIntrospectionOnly(GraphQLDocument document, GraphQLSelectionSet selections, int depth) =>
        depth < 8 && selections.Selections.All(selection => selection switch
        {
            GraphQLField field => field.Name.Value.Span.StartsWith("__"),
            GraphQLInlineFragment inline => IsIntrospectionOnly(document, inline.SelectionSet, depth + 1),
            GraphQLFragmentSpread spread => document.FindFragmentDefinition(spread.FragmentName.Name) is { } fragment
                && IsIntrospectionOnly(document, fragment.SelectionSet, depth + 1),
            _ => false,
        });

    private static bool IsIntrospection(FieldImpactContext context) =>
        context.FieldDefinition.Name.StartsWith("__", StringComparison.Ordinal)
        || context.ParentType.Name.StartsWith("__", StringComparison.Ordinal);

    /// <summary>
    /// Introspection fields are priced like the others, with this schema's own sizes: a list ranging over every type (or
    /// directive), and the lists below it, count the average of this schema (their sum is then exact); a list reached
    /// through a single type (<c>__type</c>, a field's <c>type</c>, <c>ofType</c>…) the largest. <c>ofType</c> deeper than
    /// the deepest wrapping of this schema (<c>[X!]!</c>: 3) returns null, so nothing below it counts.
    /// </summary>
    private static FieldComplexityResult IntrospectionImpact(FieldImpactContext context)
    {
        var field = context.FieldDefinition;
        var weight = field.ResolvedType!.GetNamedType() is ScalarGraphType ? Leaf : Object;
        if (field.Name == "ofType")
        {
            var level = 1;
            for (var parent = context.Parent; parent is { } p && p.FieldDefinition.Name == "ofType"; parent = p.Parent) level++;
            return new(weight, level <= IntrospectionSizes.Of(context.ValidationContext.Schema).MaxWrapping ? 1 : 0);
        }
        if (!IsList(field.ResolvedType)) return new(weight, 1);
        var sizes = IntrospectionSizes.Of(context.ValidationContext.Schema);
        var ranging = true;
        for (var parent = context.Parent; parent is { } p; parent = p.Parent)
            ranging &= p.FieldDefinition.Name is "__schema" or "types" or "directives" or "fields";
        var parentName = context.Parent?.FieldDefinition.Name;
        return new(weight, field.Name switch
        {
            "types" => sizes.Types,
            "directives" => sizes.Directives,
            "args" when parentName == "directives" => ranging ? sizes.DirectiveArguments.Average : sizes.DirectiveArguments.Max,
            "args" => ranging ? sizes.Arguments.Average : Math.Max(sizes.Arguments.Max, sizes.DirectiveArguments.Max),
            "fields" => ranging ? sizes.Fields.Average : sizes.Fields.Max,
            "inputFields" => ranging ? sizes.InputFields.Average : sizes.InputFields.Max,
            "enumValues" => ranging ? sizes.EnumValues.Average : sizes.EnumValues.Max,
            "interfaces" => ranging ? sizes.Interfaces.Average : sizes.Interfaces.Max,
            "possibleTypes" => ranging ? sizes.PossibleTypes.Average : sizes.PossibleTypes.Max,
            _ => AssumedListSize,
        });
    }

    private const string CostModelReference = "docs/api-graphql.md: each list multiplies what it holds";

    private static string Format(double weight) => weight.ToString(CultureInfo.InvariantCulture);

    /// <summary>The sizes of a schema's lists as introspection shows them, measured once per schema.</summary>
    private sealed record IntrospectionSizes(int Types, int Directives, (double Average, int Max) Fields,
        (double Average, int Max) Arguments, (double Average, int Max) DirectiveArguments, (double Average, int Max) InputFields,
        (double Average, int Max) EnumValues, (double Average, int Max) Interfaces, (double Average, int Max) PossibleTypes,
        int MaxWrapping)
    {
        private static readonly ConditionalWeakTable<ISchema, IntrospectionSizes> Measured = [];

        public static IntrospectionSizes Of(ISchema schema) => Measured.GetValue(schema, Measure);

        private static IntrospectionSizes Measure(ISchema schema)
        {
            var types = schema.AllTypes.ToList();
            var fields = types.OfType<IComplexGraphType>().Where(t => t is not IInputObjectGraphType).SelectMany(t => t.Fields).ToList();
            var inputs = types.OfType<IInputObjectGraphType>().ToList();
            var directives = schema.Directives.ToList();
            (double, int) PerType(Func<IGraphType, int> count) => Spread(types.Select(count).ToList(), types.Count);
            static (double, int) Spread(List<int> counts, int over) =>
                (over == 0 ? 0 : counts.Sum() / (double)over, counts.DefaultIfEmpty().Max());
            var wrapping = fields.Select(f => f.ResolvedType).Concat(fields.SelectMany(f => f.Arguments ?? []).Select(a => a.ResolvedType))
                .Concat(inputs.SelectMany(t => t.Fields).Select(f => f.ResolvedType)).Select(Wrapping).DefaultIfEmpty().Max();
            return new IntrospectionSizes(types.Count, directives.Count,
                PerType(t => t is IComplexGraphType and not IInputObjectGraphType ? ((IComplexGraphType)t).Fields.Count : 0),
                Spread(fields.Select(f => f.Arguments?.Count ?? 0).ToList(), fields.Count),
                Spread(directives.Select(d => d.Arguments?.Count ?? 0).ToList(), directives.Count),
                PerType(t => t is IInputObjectGraphType input ? input.Fields.Count : 0),
                PerType(t => t is EnumerationGraphType e ? e.Values.Count : 0),
                PerType(t => t is IImplementInterfaces i ? i.ResolvedInterfaces.Count : 0),
                PerType(t => t is IAbstractGraphType a ? a.PossibleTypes.Count : 0),
                Math.Max(1, wrapping));
        }

        private static int Wrapping(IGraphType? type) => type switch
        {
            NonNullGraphType nonNull => 1 + Wrapping(nonNull.ResolvedType),
            ListGraphType list => 1 + Wrapping(list.ResolvedType),
            _ => 0,
        };
    }
}
