using GraphQL;
using GraphQL.Builders;
using GraphQL.Types;
using GraphQLParser;
using GraphQLParser.AST;
using InclusionMap.Core.OpeningHours;
using InclusionMap.Core.Places;
using InclusionMap.Core.Schema;
using InclusionMap.Core.Territories;
using InclusionMap.Data;
using InclusionMap.Server.Sites;
using Microsoft.EntityFrameworkCore;

namespace InclusionMap.Server.GraphQL;

/// <summary>
/// Loads, for all the sites of the pages of one request, their communes and provenance in one query each (the first
/// time a site asks), so that <c>sites { edges { node { commune { name } } } }</c> costs a constant number of queries.
/// Scoped to the request; queries execute serially (one DbContext).
/// </summary>
public sealed class PagePreload(CatalogueDbContext db)
{
    private readonly List<Site> _sites = [];
    private Dictionary<string, Commune>? _communes;
    private ILookup<long, SiteSource>? _sources;
    private readonly HashSet<string> _communeCodes = [];
    private Dictionary<string, int>? _siteCounts;

    public void Register(IEnumerable<Site> sites)
    {
        _sites.AddRange(sites);
        _communes = null;
        _sources = null;
    }

    public async Task<Commune?> CommuneAsync(Site site, CancellationToken ct)
    {
        if (site.CommuneCode is null) return null;
        if (_communes is null || !_communes.ContainsKey(site.CommuneCode))
        {
            var codes = _sites.Append(site).Select(s => s.CommuneCode).OfType<string>().Distinct().ToList();
            _communes = await db.Communes.AsNoTracking().Where(c => codes.Contains(c.Code)).ToDictionaryAsync(c => c.Code, ct);
        }
        return _communes.GetValueOrDefault(site.CommuneCode);
    }

    public void RegisterCommunes(IEnumerable<string> codes)
    {
        _communeCodes.UnionWith(codes);
        _siteCounts = null;
    }

    /// <summary>Real sites per commune, for all the communes of the request's pages in one GROUP BY.</summary>
    public async Task<int> SiteCountAsync(string communeCode, CancellationToken ct)
    {
        if (_siteCounts is null || !_siteCounts.ContainsKey(communeCode))
        {
            _communeCodes.Add(communeCode);
            var codes = _communeCodes.ToList();
            _siteCounts = codes.ToDictionary(c => c, _ => 0);
            foreach (var row in await db.Sites.AsNoTracking().Where(s => !s.Synthetic && s.CommuneCode != null && codes.Contains(s.CommuneCode))
                         .GroupBy(s => s.CommuneCode!).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct))
                _siteCounts[row.Key] = row.Count;
        }
        return _siteCounts[communeCode];
    }

    public async Task<IEnumerable<SiteSource>> SourcesAsync(Site site, CancellationToken ct)
    {
        if (_sources is null || !_sources.Contains(site.Id))
        {
            var ids = _sites.Append(site).Select(s => s.Id).Distinct().ToList();
            _sources = (await db.SiteSources.AsNoTracking().Where(s => ids.Contains(s.SiteId)).OrderBy(s => s.Id).ToListAsync(ct)).ToLookup(s => s.SiteId);
        }
        return _sources[site.Id];
    }
}

public sealed class GeoPointInputType : InputObjectGraphType
{
    public GeoPointInputType()
    {
        Name = "GeoPointInput";
        Description = "A WGS84 point.";
        Field<NonNullGraphType<FloatGraphType>>("latitude");
        Field<NonNullGraphType<FloatGraphType>>("longitude");
    }
}

public sealed class BBoxInputType : InputObjectGraphType
{
    public BBoxInputType()
    {
        Name = "BBoxInput";
        Description = "A longitude/latitude rectangle in degrees.";
        Field<NonNullGraphType<FloatGraphType>>("west");
        Field<NonNullGraphType<FloatGraphType>>("south");
        Field<NonNullGraphType<FloatGraphType>>("east");
        Field<NonNullGraphType<FloatGraphType>>("north");
    }
}

/// <summary>The <c>sites(...)</c> field: its arguments and resolver, shared by Query, Commune and Departement.</summary>
public static class SitesField
{
    public static FieldBuilder<TSource, object> WithSiteArguments<TSource>(this FieldBuilder<TSource, object> field) => field
        .Argument<GeoPointInputType>("near", "Order by distance from this point (great-circle, metres).")
        .Argument<FloatGraphType>("radiusMeters", $"With near: only sites within this distance (at most {SiteSearch.MaxRadiusMeters:0} m).")
        .Argument<BBoxInputType>("bbox", "Only sites inside this longitude/latitude rectangle.")
        .Argument<StringGraphType>("communeCode", "Only sites of this commune (INSEE code, COG 2026; arrondissement and former codes are accepted).")
        .Argument<StringGraphType>("departementCode", "Only sites of this département.")
        .Argument<GeoJsonGraphType>("within", "Only sites inside this GeoJSON Polygon or MultiPolygon.")
        .Argument<ListGraphType<NonNullGraphType<ServiceEnum>>>("services", "Sites offering any of these services.")
        .Argument<ListGraphType<NonNullGraphType<PublicEnum>>>("publics", "Sites addressing any of these publics.")
        .Argument<ListGraphType<NonNullGraphType<FraisEnum>>>("frais", "Sites with any of these fee conditions.")
        .Argument<ListGraphType<NonNullGraphType<ModaliteAccompagnementEnum>>>("modalites", "Sites offering any of these modalities.")
        .Argument<InstantGraphType>("openAt", "Only sites whose opening hours say they are open at this instant (unknown hours do not count).")
        .Argument<StringGraphType>("search", "Text in the name, commune or address (case and accents ignored).")
        .Argument<IntGraphType>("first", $"Page size (at most {SiteSearch.MaxPageSize}).", a => a.DefaultValue = 20)
        .Argument<StringGraphType>("after", "Cursor of the last edge of the previous page.");

    /// <summary>Reads the arguments, adding the territory of the parent (a commune's or département's own sites).</summary>
    public static async Task<SiteConnection> ResolveAsync(IResolveFieldContext context, string? parentCommune = null, string? parentDepartement = null)
    {
        var db = context.RequestServices!.GetRequiredService<CatalogueDbContext>();
        var near = context.GetArgument<Dictionary<string, object?>?>("near");
        var bbox = context.GetArgument<Dictionary<string, object?>?>("bbox");
        var commune = context.GetArgument<string?>("communeCode");
        var limits = context.RequestServices!.GetRequiredService<SiteSearchLimits>();
        var filter = new SiteFilter
        {
            Near = near is null ? null : new GeoPoint(Convert.ToDouble(near["latitude"]), Convert.ToDouble(near["longitude"])),
            RadiusMeters = context.GetArgument<double?>("radiusMeters"),
            BoundingBox = bbox is null ? null : new BoundingBox(Convert.ToDouble(bbox["west"]), Convert.ToDouble(bbox["south"]), Convert.ToDouble(bbox["east"]), Convert.ToDouble(bbox["north"])),
            CommuneCode = parentCommune ?? commune,
            DepartementCode = parentDepartement ?? context.GetArgument<string?>("departementCode"),
            Within = context.GetArgument<NetTopologySuite.Geometries.Geometry?>("within"),
            Services = context.GetArgument<List<Service>?>("services"),
            Publics = context.GetArgument<List<Public>?>("publics"),
            Frais = context.GetArgument<List<FraisACharge>?>("frais"),
            Modalites = context.GetArgument<List<ModaliteAccompagnement>?>("modalites"),
            OpenAt = context.GetArgument<DateTimeOffset?>("openAt"),
            Search = context.GetArgument<string?>("search"),
            IncludeSynthetic = limits.IncludeSynthetic,
        };
        try
        {
            var page = await SiteSearch.PageAsync(db, filter, context.GetArgument("first", 20), context.GetArgument<string?>("after"), context.CancellationToken, limits,
                columns: ColumnsAskedFor(context.FieldAst.SelectionSet, context.Document));
            context.RequestServices!.GetRequiredService<PagePreload>().Register(page.Hits.Select(h => h.Site));
            return new SiteConnection(page);
        }
        catch (SiteSearchException e)
        {
            throw new ExecutionError(e.Message) { Code = e.Code };
        }
    }

    /// <summary>
    /// The columns each <see cref="SiteType"/> field reads. A field missing here (a new one) makes the page read whole
    /// sites: slower, never wrong. <c>commune</c> and <c>sources</c> are loaded by code and id (<see cref="PagePreload"/>).
    /// </summary>
    internal static readonly IReadOnlyDictionary<string, string[]> ColumnsOfField = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["__typename"] = [],
        ["id"] = [nameof(Site.Id)],
        ["pivot"] = [nameof(Site.Pivot)],
        ["nom"] = [nameof(Site.Nom)],
        ["communeName"] = [nameof(Site.CommuneName)],
        ["codePostal"] = [nameof(Site.CodePostal)],
        ["codeInsee"] = [nameof(Site.CodeInsee)],
        ["adresse"] = [nameof(Site.Adresse)],
        ["complementAdresse"] = [nameof(Site.ComplementAdresse)],
        ["latitude"] = [nameof(Site.Latitude)],
        ["longitude"] = [nameof(Site.Longitude)],
        ["location"] = [nameof(Site.Location)],
        ["typologie"] = [nameof(Site.Typologie)],
        ["telephone"] = [nameof(Site.Telephone)],
        ["courriels"] = [nameof(Site.Courriels)],
        ["siteWeb"] = [nameof(Site.SiteWeb)],
        ["horaires"] = [nameof(Site.Horaires)],
        ["presentationResume"] = [nameof(Site.PresentationResume)],
        ["presentationDetail"] = [nameof(Site.PresentationDetail)],
        ["source"] = [nameof(Site.Source)],
        ["itinerance"] = [nameof(Site.Itinerance)],
        ["structureParente"] = [nameof(Site.StructureParente)],
        ["dateMaj"] = [nameof(Site.DateMaj)],
        ["services"] = [nameof(Site.Services)],
        ["publicsSpecifiquementAdresses"] = [nameof(Site.PublicsSpecifiquementAdresses)],
        ["priseEnChargeSpecifique"] = [nameof(Site.PriseEnChargeSpecifique)],
        ["fraisACharge"] = [nameof(Site.FraisACharge)],
        ["dispositifProgrammesNationaux"] = [nameof(Site.DispositifProgrammesNationaux)],
        ["formationsLabels"] = [nameof(Site.FormationsLabels)],
        ["autresFormationsLabels"] = [nameof(Site.AutresFormationsLabels)],
        ["modalitesAcces"] = [nameof(Site.ModalitesAcces)],
        ["modalitesAccompagnement"] = [nameof(Site.ModalitesAccompagnement)],
        ["ficheAccesLibre"] = [nameof(Site.FicheAccesLibre)],
        ["priseRdv"] = [nameof(Site.PriseRdv)],
        ["openingHours"] = [nameof(Site.Horaires), nameof(Site.DepartementCode)],
        ["departementCode"] = [nameof(Site.DepartementCode)],
        ["commune"] = [nameof(Site.CommuneCode)],
        ["sources"] = [nameof(Site.Id)],
    };

    /// <summary>
    /// The site columns a connection's selection reads, under <c>nodes</c> or <c>edges { node }</c>, through fragments
    /// too; null (whole sites) when a field is not in <see cref="ColumnsOfField"/>. A map asking for names and positions
    /// then reads four columns.
    /// </summary>
    internal static HashSet<string>? ColumnsAskedFor(GraphQLSelectionSet? connection, GraphQLDocument document)
    {
        var columns = new HashSet<string>(StringComparer.Ordinal);
        return Collect(connection, siteLevel: false, depth: 0) ? columns : null;

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
                    GraphQLFragmentSpread spread => document.FindFragmentDefinition(spread.FragmentName.Name) is { } fragment && Collect(fragment.SelectionSet, siteLevel, depth + 1),
                    _ => false,
                };
                if (!ok) return false;
            }
            return true;
        }

        bool Add(string field)
        {
            if (!ColumnsOfField.TryGetValue(field, out var read)) return false;
            columns.UnionWith(read);
            return true;
        }
    }

}

/// <summary>A Relay connection over a <see cref="SitePage"/>; <c>totalCount</c> is only computed when asked.</summary>
public sealed record SiteConnection(SitePage Page);

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

public sealed record PageInfoData(bool HasNextPage, bool HasPreviousPage, string? StartCursor, string? EndCursor);

public sealed class SiteConnectionType : ObjectGraphType<SiteConnection>
{
    public SiteConnectionType()
    {
        Name = "SiteConnection";
        Description = "A page of sites (Relay cursor connection).";
        Field<NonNullGraphType<IntGraphType>>("totalCount").Description("All the sites matching the filters (not only this page).")
            .ResolveAsync(async ctx => await ctx.Source.Page.CountAsync(ctx.CancellationToken));
        Field<NonNullGraphType<PageInfoGraphType>>("pageInfo").Resolve(ctx =>
            new PageInfoData(ctx.Source.Page.HasNextPage, ctx.Source.Page.HasPreviousPage, ctx.Source.Page.Hits.FirstOrDefault()?.Cursor, ctx.Source.Page.Hits.LastOrDefault()?.Cursor));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<SiteEdgeType>>>>("edges").Resolve(ctx => ctx.Source.Page.Hits);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<SiteType>>>>("nodes").Description("The sites of this page, without edges.")
            .Resolve(ctx => ctx.Source.Page.Hits.Select(h => h.Site));
    }
}

public sealed class SiteEdgeType : ObjectGraphType<SiteHit>
{
    public SiteEdgeType()
    {
        Name = "SiteEdge";
        Field(x => x.Cursor).Description("Opaque keyset cursor: pass it as 'after' for the next page.");
        Field<NonNullGraphType<SiteType>>("node").Resolve(ctx => ctx.Source.Site);
        Field(x => x.DistanceMeters, nullable: true).Description("Great-circle distance from 'near' in metres (PostGIS geography <->, spherical).");
    }
}

/// <summary>A site's opening hours with the place's time zone and holiday calendar.</summary>
public sealed record SiteHours(OpeningHours Hours, string? DepartementCode);

public sealed record WeekdayOpening(string Day, IReadOnlyList<string> Ranges, bool Conditional);

public sealed class WeekdayOpeningType : ObjectGraphType<WeekdayOpening>
{
    public WeekdayOpeningType()
    {
        Name = "WeekdayOpening";
        Field(x => x.Day).Description("Mo, Tu, We, Th, Fr, Sa or Su (OSM abbreviations).");
        Field(x => x.Ranges).Description("Opening ranges, e.g. \"09:00-12:00\" (an end past 24:00 runs into the next day).");
        Field(x => x.Conditional).Description("True when these hours apply only some weeks or months (e.g. every other week).");
    }
}

public sealed class OpeningHoursType : ObjectGraphType<SiteHours>
{
    private static readonly string[] Osm = ["Su", "Mo", "Tu", "We", "Th", "Fr", "Sa"];

    public OpeningHoursType()
    {
        Name = "OpeningHours";
        Description = "The schema's horaires (OSM opening_hours), evaluated in the place's local time (Europe/Paris in mainland France) with the French public holidays.";
        Field<StringGraphType>("osm").Description("The value as published.").Resolve(ctx => ctx.Source.Hours.Text);
        Field<NonNullGraphType<BooleanGraphType>>("known").Description("False when there is no value or it is not valid opening_hours syntax: then nothing is guessed.")
            .Resolve(ctx => ctx.Source.Hours.IsKnown);
        Field<StringGraphType>("error").Description("Why the value could not be read.").Resolve(ctx => ctx.Source.Hours.Error);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<WeekdayOpeningType>>>>("weekly").Description("The typical week, Monday first.")
            .Resolve(ctx => ctx.Source.Hours.Weekly.Select(w => new WeekdayOpening(Osm[(int)w.Day], w.Ranges.Select(r => r.ToString()).ToList(), w.Conditional)).ToList());
        Field<FloatGraphType>("hoursPerWeek").Description("Average open hours per week over a year.").Resolve(ctx => ctx.Source.Hours.HoursPerWeek);
        Field<BooleanGraphType>("isOpenAt").Description("Open at this instant? Null when the hours are unknown.")
            .Argument<NonNullGraphType<InstantGraphType>>("at")
            .Resolve(ctx => ctx.Source.Hours.IsOpenAt(ctx.GetArgument<DateTimeOffset>("at"), FrenchTimeZones.ForDepartement(ctx.Source.DepartementCode), ctx.Source.DepartementCode));
        Field<InstantGraphType>("nextOpening").Description("The next instant it is open at or after 'after' (itself when open then); null when unknown or never.")
            .Argument<NonNullGraphType<InstantGraphType>>("after")
            .Resolve(ctx =>
            {
                var zone = FrenchTimeZones.ForDepartement(ctx.Source.DepartementCode);
                return ctx.Source.Hours.NextOpening(ctx.GetArgument<DateTimeOffset>("after"), zone, ctx.Source.DepartementCode) is { } next
                    ? TimeZoneInfo.ConvertTime(next, zone)
                    : null;
            });
    }
}

public sealed class ProvenanceType : ObjectGraphType<SiteSource>
{
    public ProvenanceType()
    {
        Name = "Provenance";
        Description = "One source record merged into the site: where it comes from and when.";
        Field(x => x.Dataset).Description("Dataset name (file name without its release date).");
        Field(x => x.SourceId).Description("The record's identifier in its dataset.");
        Field(x => x.SourceFile);
        Field(x => x.Format);
        Field(x => x.RowNumber);
        Field<NonNullGraphType<DateOnlyGraphType>>("dateMaj").Resolve(ctx => ctx.Source.DateMaj);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("importedAt").Resolve(ctx => ctx.Source.ImportedAt);
    }
}

public sealed class SiteType : ObjectGraphType<Site>
{
    public SiteType()
    {
        Name = "Site";
        Description = "A place offering digital help. Fields follow the national schema « lieux de médiation numérique » v1.0.2 in camelCase; the schema's commune name is communeName.";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(ctx => ctx.Source.Id);
        Field(x => x.Pivot).Description("SIRET, RNA or RIDET (00000000000000 when unknown).");
        Field(x => x.Nom);
        Field(x => x.CommuneName).Description("The schema's « commune »: the commune name as the producer wrote it.");
        Field(x => x.CodePostal);
        Field(x => x.CodeInsee, nullable: true).Description("The schema's code_insee as published (see commune for the resolved current commune).");
        Field(x => x.Adresse);
        Field(x => x.ComplementAdresse, nullable: true);
        Field(x => x.Latitude, nullable: true);
        Field(x => x.Longitude, nullable: true);
        Field<GeoJsonGraphType>("location").Description("GeoJSON Point [longitude, latitude].").Resolve(ctx => ctx.Source.Location);
        Field(x => x.Typologie).Description("data·inclusion structure type codes.");
        Field(x => x.Telephone, nullable: true);
        Field(x => x.Courriels);
        Field(x => x.SiteWeb);
        Field(x => x.Horaires, nullable: true).Description("OSM opening_hours text (see openingHours).");
        Field(x => x.PresentationResume, nullable: true);
        Field(x => x.PresentationDetail, nullable: true);
        Field(x => x.Source, nullable: true).Description("The producer's own source label.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ItineranceEnum>>>>("itinerance").Resolve(ctx => ctx.Source.Itinerance);
        Field(x => x.StructureParente, nullable: true);
        Field<NonNullGraphType<DateOnlyGraphType>>("dateMaj").Resolve(ctx => ctx.Source.DateMaj);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ServiceEnum>>>>("services").Resolve(ctx => ctx.Source.Services);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<PublicEnum>>>>("publicsSpecifiquementAdresses").Resolve(ctx => ctx.Source.PublicsSpecifiquementAdresses);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<PriseEnChargeEnum>>>>("priseEnChargeSpecifique").Resolve(ctx => ctx.Source.PriseEnChargeSpecifique);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<FraisEnum>>>>("fraisACharge").Resolve(ctx => ctx.Source.FraisACharge);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<DispositifEnum>>>>("dispositifProgrammesNationaux").Resolve(ctx => ctx.Source.DispositifProgrammesNationaux);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<FormationLabelEnum>>>>("formationsLabels").Resolve(ctx => ctx.Source.FormationsLabels);
        Field(x => x.AutresFormationsLabels);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ModaliteAccesEnum>>>>("modalitesAcces").Resolve(ctx => ctx.Source.ModalitesAcces);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ModaliteAccompagnementEnum>>>>("modalitesAccompagnement").Resolve(ctx => ctx.Source.ModalitesAccompagnement);
        Field(x => x.FicheAccesLibre, nullable: true).Description("acceslibre.beta.gouv.fr page (accessibility of the premises).");
        Field(x => x.PriseRdv, nullable: true);
        Field<NonNullGraphType<OpeningHoursType>>("openingHours").Resolve(ctx => new SiteHours(SiteSearch.Hours(ctx.Source.Horaires), ctx.Source.DepartementCode));
        Field(x => x.DepartementCode, nullable: true);
        Field<CommuneType>("commune").Description("The current commune (COG 2026) the place belongs to.")
            .ResolveAsync(async ctx => await ctx.RequestServices!.GetRequiredService<PagePreload>().CommuneAsync(ctx.Source, ctx.CancellationToken));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ProvenanceType>>>>("sources").Description("Every source record merged into this site.")
            .ResolveAsync(async ctx => await ctx.RequestServices!.GetRequiredService<PagePreload>().SourcesAsync(ctx.Source, ctx.CancellationToken));
    }
}
