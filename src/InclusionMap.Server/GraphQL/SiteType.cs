using GraphQL;
using GraphQL.Types;
using InclusionMap.Core.Places;
using InclusionMap.Core.Schema;
using InclusionMap.Data.Sites;

namespace InclusionMap.Server.GraphQL;

/// <summary>
/// <c>Site</c>: one GraphQL field per field of the registry (<see cref="SiteFields"/>, camelCase names, types from
/// their kind), plus the fields computed from them or loaded beside them, declared in <see cref="ComputedFields"/>.
/// </summary>
public sealed class SiteType : ObjectGraphType<Site>
{
    /// <summary>
    /// The fields that are not registry fields, and the registry fields each one reads: a page asked for
    /// <c>openingHours</c> reads the hours and the département (time zone, holidays).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string[]> ComputedFields = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["__typename"] = [],
        ["openingHours"] = [nameof(Site.Horaires), nameof(Site.DepartementCode)],
        ["commune"] = [nameof(Site.CommuneCode)],
        ["sources"] = [nameof(Site.Id), nameof(Site.EditedAt)],
        ["history"] = [nameof(Site.Id)],
    };

    /// <summary>Source records per site, for the cost of <c>sources</c>: most sites merge one to three.</summary>
    public const int AssumedSources = 5;

    public SiteType()
    {
        Name = "Site";
        Description = "A place offering digital help. Fields follow the national schema « lieux de médiation numérique » "
            + $"{SchemaV1.Version} in camelCase; the schema's commune name is communeName.";
        foreach (var field in SiteFields.All)
        {
            var graphField = Field(field.GraphQLName, GraphTypeOf(field)).Description(field.Description).Resolve(Resolver(field));
            if (field.Heavy) graphField.Cost(QueryCost.Object);
        }

        Field<NonNullGraphType<OpeningHoursType>>("openingHours")
            .Resolve(ctx => new SiteHours(OpeningHoursCache.Parse(ctx.Source.Horaires), ctx.Source.DepartementCode));
        Field<CommuneType>("commune").Description("The current commune (COG 2026) the place belongs to.")
            .ResolveAsync(async ctx =>
                await ctx.RequestServices!.GetRequiredService<PagePreload>().CommuneAsync(ctx.Source, ctx.CancellationToken));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ProvenanceType>>>>("sources")
            .Description("Every source record merged into this site; an edited site also has InclusionMap "
                + "(dataset inclusionmap, sourceId edits).")
            .ListSize(assumedSize: AssumedSources)
            .ResolveAsync(async ctx =>
                await ctx.RequestServices!.GetRequiredService<PagePreload>().SourcesAsync(ctx.Source, ctx.CancellationToken));
        Field<NonNullGraphType<SiteChangeConnectionType>>("history")
            .Description("Every change of the site (field, old and new value, cause, who, when), newest first.")
            .Argument<IntGraphType>("first", $"Page size (at most {SiteHistoryField.MaxPageSize}).", a => a.DefaultValue = 20)
            .Argument<StringGraphType>("after", "Cursor of the last edge of the previous page.")
            .ResolveAsync(async ctx => await SiteHistoryField.ResolveAsync(ctx));
    }

    /// <summary>The GraphQL type of a registry field, from its kind; lists are never null, their items never null.</summary>
    public static Type GraphTypeOf(SiteField field)
    {
        var type = field.Kind switch
        {
            SiteFieldKind.Id => typeof(IdGraphType),
            SiteFieldKind.Text => typeof(StringGraphType),
            SiteFieldKind.Number => typeof(FloatGraphType),
            SiteFieldKind.Date => typeof(DateOnlyGraphType),
            SiteFieldKind.Instant => typeof(DateTimeOffsetGraphType),
            SiteFieldKind.Point => typeof(GeoJsonGraphType),
            SiteFieldKind.TextList => typeof(ListGraphType<>).MakeGenericType(typeof(NonNullGraphType<>).MakeGenericType(
                field.Vocabulary is { } vocabulary ? VocabularyEnumType.For(vocabulary) : typeof(StringGraphType))),
            _ => throw new InvalidOperationException($"No GraphQL type for {field.Kind}."),
        };
        return field.Nullable ? type : typeof(NonNullGraphType<>).MakeGenericType(type);
    }

    /// <summary>The value of a registry field: vocabulary labels become the enum's values.</summary>
    private static Func<IResolveFieldContext<Site>, object?> Resolver(SiteField field) => field.Vocabulary is { } vocabulary
        ? ctx => VocabularyLabels.Values(vocabulary, (List<string>)field.Get(ctx.Source)!).ToList()
        : ctx => field.Get(ctx.Source);
}
