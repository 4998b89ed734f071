using GraphQL;
using GraphQL.Types;
using InclusionMap.Core;
using InclusionMap.Core.Territories;
using System.Globalization;
using InclusionMap.Data;
using InclusionMap.Data.Sites;
using Microsoft.EntityFrameworkCore;

namespace InclusionMap.Server.GraphQL;

public sealed class QueryType : ObjectGraphType
{
    public const int MaxSuggestions = 20;

    public QueryType(Microsoft.Extensions.Options.IOptions<SiteSearchOptions> search)
    {
        Name = "Query";

        Field<SiteType>("site").Description("A site by id; null for an unknown id, and for a retired one unless includeRetired " +
                "(then its retiredAt is set: a place page answers 410 Gone for it, 404 for an unknown id).").Cost(QueryCost.Statement)
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .Argument<BooleanGraphType>("includeRetired",
                "Also a retired site (every source stopped listing it).", a => a.DefaultValue = false)
            .ResolveAsync(async ctx =>
            {
                if (!long.TryParse(ctx.GetArgument<string>("id"), NumberStyles.None, CultureInfo.InvariantCulture, out var id)) return null;
                var fields = SitesField.FieldsAskedFor(ctx.FieldAst.SelectionSet, ctx.Document, siteLevel: true);
                var site = (await ctx.RequestServices!.GetRequiredService<SiteQuery>()
                    .ByIdsAsync([id], fields, ctx.GetArgument("includeRetired", false), ctx.CancellationToken)).FirstOrDefault();
                if (site is not null) ctx.RequestServices!.GetRequiredService<PagePreload>().Register([site]);
                return site;
            });

        Field<NonNullGraphType<SiteConnectionType>>("sites")
            .Description("Search the catalogue. With near: ordered by distance (KNN on the spatial index); else by id. "
                + "Filters combine with AND; list filters match any of their values.")
            .WithSiteArguments(search.Value)
            .ResolveAsync(async ctx => await SitesField.ResolveAsync(ctx));

        Field<CommuneType>("commune").Description("A commune by INSEE code (arrondissement and former codes lead to the current commune).")
            .Cost(QueryCost.Statement)
            .Argument<NonNullGraphType<StringGraphType>>("code")
            .ResolveAsync(async ctx =>
            {
                var code = ctx.GetArgument<string>("code");
                var db = Db(ctx);
                var current = await db.CommuneCodes.AsNoTracking()
                    .Where(c => c.Code == code)
                    .Select(c => c.CommuneCodeCurrent)
                    .FirstOrDefaultAsync(ctx.CancellationToken) ?? code;
                return await db.Communes.AsNoTracking().FirstOrDefaultAsync(c => c.Code == current, ctx.CancellationToken);
            });

        Field<NonNullGraphType<CommuneConnectionType>>("communes")
            .Description($"Communes in code order, {CommunesField.MaxPageSize} per page at most.")
            .Argument<StringGraphType>("departementCode")
            .Argument<StringGraphType>("search", "Text in the name (case and accents ignored).")
            .Argument<IntGraphType>("first", a => a.DefaultValue = CommunesField.MaxPageSize)
            .Argument<StringGraphType>("after")
            .Cost(QueryCost.Statement).ListSize(slicingArgument: "first", sizedFields: ["edges", "nodes"])
            .ResolveAsync(async ctx => await CommunesField.ResolveAsync(ctx, ctx.GetArgument<string?>("departementCode")));

        Field<NonNullGraphType<ListGraphType<NonNullGraphType<CommuneSuggestionType>>>>("communeSuggestions")
            .Description("Communes for a type-ahead: a name (start of the name first, then most populated) or the start of a postcode.")
            .Argument<NonNullGraphType<StringGraphType>>("query")
            .Argument<IntGraphType>("first", a => a.DefaultValue = 8)
            .Cost(QueryCost.Statement).ListSize(slicingArgument: "first")
            .ResolveAsync(async ctx =>
                await SuggestAsync(Db(ctx), ctx.GetArgument<string>("query"), ctx.GetArgument("first", 8), ctx.CancellationToken));

        Field<DepartementType>("departement").Argument<NonNullGraphType<StringGraphType>>("code").Cost(QueryCost.Statement)
            .ResolveAsync(async ctx => await DepartementsWithoutGeometry(Db(ctx))
                .FirstOrDefaultAsync(d => d.Code == ctx.GetArgument<string>("code"), ctx.CancellationToken));

        Field<NonNullGraphType<ListGraphType<NonNullGraphType<DepartementType>>>>("departements")
            .Description("Every département and overseas collectivity, by code.")
            // 101 départements and the overseas collectivities (109 in COG 2026).
            .Cost(QueryCost.Statement).ListSize(assumedSize: 110)
            .ResolveAsync(async ctx => await DepartementsWithoutGeometry(Db(ctx)).OrderBy(d => d.Code).ToListAsync(ctx.CancellationToken));

        this.AddCoverageQuery();
        this.AddAccountQueries();
        this.AddModerationQueries();

        Field<NonNullGraphType<ListGraphType<NonNullGraphType<SourceType>>>>("sources")
            .Description("The producers the catalogue follows, with their last sync, status and counts (the page /sources shows the same).")
            .ResolveAsync(async ctx => await Data.Sources.SourceRegistry.ListAsync(Db(ctx), ctx.CancellationToken));

        Field<NonNullGraphType<VocabulariesType>>("vocabularies")
            .Description("The national schema's vocabularies with their official labels.")
            .Resolve(_ => new object());
    }

    private static CatalogueDbContext Db(IResolveFieldContext ctx) => ctx.RequestServices!.GetRequiredService<CatalogueDbContext>();

    private static IQueryable<Departement> DepartementsWithoutGeometry(CatalogueDbContext db) =>
        db.Departements.AsNoTracking()
            .Select(d => new Departement
            {
                Code = d.Code, Nom = d.Nom, RegionCode = d.RegionCode, Zone = d.Zone, Population = d.Population,
            });

    private static async Task<List<CommuneSuggestion>> SuggestAsync(CatalogueDbContext db, string query, int first, CancellationToken ct)
    {
        if (first is < 1 or > MaxSuggestions)
            throw new ExecutionError($"first must be between 1 and {MaxSuggestions}.") { Code = "PAGE_SIZE_EXCEEDED" };
        if (query.Any(char.IsControl)) throw new ExecutionError("query may not hold control characters.") { Code = "BAD_USER_INPUT" };
        var text = query.Trim();
        IQueryable<Commune> q;
        if (text.Length is >= 2 and <= 5 && text.All(char.IsAsciiDigit))
            q = db.Communes.Where(c => c.CodesPostaux.Any(p => p.StartsWith(text)));
        else
        {
            var folded = TextSearch.Fold(text);
            if (folded.Length is < 2 or > 100) throw new ExecutionError("query needs 2 to 100 characters.") { Code = "BAD_USER_INPUT" };
            q = db.Communes.Where(c => c.SearchText.Contains(folded))
                .OrderByDescending(c => c.SearchText.StartsWith(folded))
                .ThenByDescending(c => c.Population);
            return await Project(q, first, ct);
        }
        return await Project(q.OrderByDescending(c => c.Population), first, ct);
    }

    private static Task<List<CommuneSuggestion>> Project(IQueryable<Commune> q, int first, CancellationToken ct) =>
        q.Take(first).Select(c => new CommuneSuggestion(c.Code, c.Nom, c.DepartementCode, c.Population, c.CodesPostaux,
            c.Centre == null ? null : c.Centre.Y, c.Centre == null ? null : c.Centre.X)).ToListAsync(ct);
}
