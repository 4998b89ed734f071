using GraphQL;
using GraphQL.Builders;
using GraphQL.Types;
using GraphQLParser;
using GraphQLParser.AST;
using InclusionMap.Core.Places;
using InclusionMap.Core.Schema;
using InclusionMap.Data.Sites;
using NetTopologySuite.Geometries;

namespace InclusionMap.Server.GraphQL;

/// <summary>
/// The <c>sites(...)</c> field of Query, Commune and Departement: reads its arguments into a <see cref="SiteFilter"/>
/// and asks <see cref="SiteQuery"/> for a page holding only the fields the selection asks for.
/// </summary>
public static class SitesField
{
    /// <summary>The cost of <c>openAt</c>: the opening hours of up to 10,000 candidates evaluated in memory.</summary>
    public const double OpenAtCost = 500;

    public static FieldBuilder<TSource, object> WithSiteArguments<TSource>(this FieldBuilder<TSource, object> field,
        SiteSearchOptions limits) => field
        .Argument<GeoPointInputType>("near",
            "Order by distance from this point (great-circle, metres); sites without a position are left out.")
        .Argument<FloatGraphType>("radiusMeters", $"With near: only sites within this distance (at most {limits.MaxRadiusMeters:0} m).")
        .Argument<BBoxInputType>("bbox", "Only sites inside this longitude/latitude rectangle.")
        .Argument<StringGraphType>("communeCode",
            "Only sites of this commune (INSEE code, COG 2026; arrondissement and former codes are accepted).")
        .Argument<StringGraphType>("departementCode", "Only sites of this département.")
        .Argument<GeoJsonGraphType>("within",
            $"Only sites inside this GeoJSON Polygon or MultiPolygon (at most {limits.MaxPolygonVertices} vertices).")
        .Argument<ListGraphType<NonNullGraphType<VocabularyEnumType<Service>>>>("services", "Sites offering any of these services.")
        .Argument<ListGraphType<NonNullGraphType<VocabularyEnumType<Public>>>>("publics", "Sites addressing any of these publics.")
        .Argument<ListGraphType<NonNullGraphType<VocabularyEnumType<FraisACharge>>>>("frais", "Sites with any of these fee conditions.")
        .Argument<ListGraphType<NonNullGraphType<VocabularyEnumType<ModaliteAccompagnement>>>>("modalites",
            "Sites offering any of these modalities.")
        .Argument<ListGraphType<NonNullGraphType<VocabularyEnumType<DispositifProgrammeNational>>>>("programmes",
            "Sites of any of these national programmes (France Services, conseillers numériques, Aidants Connect…).")
        .Argument<BooleanGraphType>("withOnlineBooking",
            "True: only sites with an online booking page (priseRdv); false: only sites without one.")
        .Argument<BooleanGraphType>("withAccessibilityInfo",
            "True: only sites with an acceslibre accessibility page (ficheAccesLibre); false: only sites without one.")
        .Argument<InstantGraphType>("openAt", a =>
        {
            a.Description = "Only sites whose opening hours say they are open at this instant (unknown hours do not count).";
            a.Cost(OpenAtCost);
        })
        .Argument<StringGraphType>("search", "Text in the name, commune or address (case and accents ignored).")
        .Argument<BooleanGraphType>("includeRetired", "Also the retired sites (every source stopped listing them; their retiredAt is set).",
            a => a.DefaultValue = false)
        .Argument<IntGraphType>("first", $"Page size (at most {limits.MaxPageSize}).", a => a.DefaultValue = 20)
        .Argument<StringGraphType>("after", "Cursor of the last edge of the previous page.")
        .Cost(QueryCost.Statement).ListSize(slicingArgument: "first", sizedFields: ["edges", "nodes"]);

    /// <summary>Reads the arguments, adding the territory of the parent (a commune's or département's own sites).</summary>
    public static async Task<SiteConnection> ResolveAsync(IResolveFieldContext context, string? parentCommune = null,
        string? parentDepartement = null)
    {
        var near = context.GetArgument<Dictionary<string, object?>?>("near");
        var bbox = context.GetArgument<Dictionary<string, object?>?>("bbox");
        var filter = new SiteFilter
        {
            Near = near is null ? null : new GeoPoint(Convert.ToDouble(near["latitude"]), Convert.ToDouble(near["longitude"])),
            RadiusMeters = context.GetArgument<double?>("radiusMeters"),
            BoundingBox = bbox is null ? null
                : new BoundingBox(Convert.ToDouble(bbox["west"]), Convert.ToDouble(bbox["south"]), Convert.ToDouble(bbox["east"]),
                    Convert.ToDouble(bbox["north"])),
            CommuneCode = parentCommune ?? context.GetArgument<string?>("communeCode"),
            DepartementCode = parentDepartement ?? context.GetArgument<string?>("departementCode"),
            Within = context.GetArgument<Geometry?>("within"),
            Services = Labels<Service>(context, "services"),
            Publics = Labels<Public>(context, "publics"),
            Frais = Labels<FraisACharge>(context, "frais"),
            Modalites = Labels<ModaliteAccompagnement>(context, "modalites"),
            Programmes = Labels<DispositifProgrammeNational>(context, "programmes"),
            OnlineBooking = context.GetArgument<bool?>("withOnlineBooking"),
            AccessibilityInfo = context.GetArgument<bool?>("withAccessibilityInfo"),
            OpenAt = context.GetArgument<DateTimeOffset?>("openAt"),
            Search = context.GetArgument<string?>("search"),
            IncludeRetired = context.GetArgument("includeRetired", false),
        };
        try
        {
            var page = await context.RequestServices!.GetRequiredService<SiteQuery>().PageAsync(filter, context.GetArgument("first", 20),
                context.GetArgument<string?>("after"), FieldsAskedFor(context.FieldAst.SelectionSet, context.Document),
                context.CancellationToken);
            context.RequestServices!.GetRequiredService<PagePreload>().Register(page.Hits.Select(h => h.Site));
            return new SiteConnection(page);
        }
        catch (SiteQueryException e)
        {
            throw new ExecutionError(e.Message) { Code = e.Code };
        }
    }

    private static IReadOnlyList<string>? Labels<T>(IResolveFieldContext context, string argument) where T : struct, Enum =>
        context.GetArgument<List<T>?>(argument)?.Select(Vocabulary<T>.Label).ToList();

    /// <summary>
    /// The registry fields a connection's selection reads, under <c>nodes</c> or <c>edges { node }</c>, through fragments
    /// too (<see cref="SiteType.ComputedFields"/> say what the others read); null (every field) for a field it does not
    /// know. A map asking for names and positions then reads four columns.
    /// </summary>
    /// <param name="connection">The selection of the connection (or of a site itself with <paramref name="siteLevel"/>).</param>
    /// <param name="document">The request's document, where fragments are defined.</param>
    /// <param name="siteLevel">True when <paramref name="connection"/> is the selection of a site.</param>
    internal static HashSet<SiteField>? FieldsAskedFor(GraphQLSelectionSet? connection, GraphQLDocument document, bool siteLevel = false)
    {
        var fields = new HashSet<SiteField>();
        return Collect(connection, siteLevel, depth: 0) ? fields : null;

        bool Collect(GraphQLSelectionSet? selections, bool siteLevel, int depth)
        {
            if (selections is null) return true;
            if (depth > 10) return false;
            foreach (var selection in selections.Selections)
            {
                var ok = selection switch
                {
                    GraphQLField f when siteLevel => Add(f.Name.StringValue),
                    // Connection and edge levels: nodes and node hold sites; cursor, distanceMeters, pageInfo, totalCount do not.
                    GraphQLField f => f.Name.StringValue switch
                    {
                        "nodes" or "node" => Collect(f.SelectionSet, siteLevel: true, depth + 1),
                        "edges" => Collect(f.SelectionSet, siteLevel: false, depth + 1),
                        _ => true,
                    },
                    GraphQLInlineFragment i => Collect(i.SelectionSet, siteLevel, depth + 1),
                    GraphQLFragmentSpread spread => document.FindFragmentDefinition(spread.FragmentName.Name) is { } fragment
                        && Collect(fragment.SelectionSet, siteLevel, depth + 1),
                    _ => false,
                };
                if (!ok) return false;
            }
            return true;
        }

        bool Add(string name)
        {
            if (SiteFields.ByGraphQLName.TryGetValue(name, out var field)) fields.Add(field);
            else if (SiteType.ComputedFields.TryGetValue(name, out var read)) fields.UnionWith(read.Select(r => SiteFields.ByName[r]));
            else return false;
            return true;
        }
    }
}
