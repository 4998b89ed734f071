using System.Buffers;
using System.Buffers.Text;
using System.Text;
using GraphQL;
using GraphQL.Types;
using InclusionMap.Core;
using InclusionMap.Core.Territories;
using InclusionMap.Data;
using Microsoft.EntityFrameworkCore;

namespace InclusionMap.Server.GraphQL;

public sealed class CensusType : ObjectGraphType<Commune>
{
    public CensusType()
    {
        Name = "CensusIndicators";
        Description = "INSEE census 2017 indicators of the commune (via Data For Good), as fractions 0..1; null where not published.";
        Field(x => x.ShareNoDiploma, nullable: true).Description("Share of the non-enrolled population 15+ with no or a low diploma.");
        Field(x => x.Share65Plus, nullable: true).Description("Share of people aged 65 or more.");
        Field(x => x.Share25OrUnder, nullable: true).Description("Share of people aged 25 or less.");
        Field(x => x.ShareLivingAlone, nullable: true).Description("Share of one-person households.");
        Field(x => x.ShareSingleParentFamilies, nullable: true);
        Field(x => x.PovertyRate, nullable: true).Description("Filosofi poverty rate (published for about 5,600 communes only).");
    }
}

public sealed class EpciType : ObjectGraphType<Commune>
{
    public EpciType()
    {
        Name = "Epci";
        Field<NonNullGraphType<StringGraphType>>("siren").Resolve(ctx => ctx.Source.EpciSiren);
        Field<StringGraphType>("name").Resolve(ctx => ctx.Source.EpciNom);
    }
}

public sealed class CommuneType : ObjectGraphType<Commune>
{
    public CommuneType(Microsoft.Extensions.Options.IOptions<Data.Sites.SiteSearchOptions> search)
    {
        Name = "Commune";
        Description = "A commune of the official geographic code (COG 2026).";
        Field(x => x.Code).Description("INSEE code.");
        Field<NonNullGraphType<StringGraphType>>("name").Resolve(ctx => ctx.Source.Nom);
        Field(x => x.DepartementCode);
        Field(x => x.RegionCode);
        Field(x => x.Population, nullable: true).Description("Population municipale (INSEE populations légales).");
        Field(x => x.CodesPostaux);
        Field(x => x.AreaKm2, nullable: true);
        Field<FloatGraphType>("density").Description("Inhabitants per km².")
            .Resolve(ctx => ctx.Source.Population is { } p && ctx.Source.AreaKm2 is > 0 and var a ? p / a : null);
        Field<EpciType>("epci").Resolve(ctx => ctx.Source.EpciSiren is null ? null : ctx.Source);
        Field<NonNullGraphType<CensusType>>("census").Resolve(ctx => ctx.Source);
        Field<GeoJsonGraphType>("centre").Description("A point inside the commune (PostGIS ST_PointOnSurface).").Resolve(ctx => ctx.Source.Centre);
        Field<GeoJsonGraphType>("geometry").Description("The commune's MultiPolygon (IGN ADMIN EXPRESS, simplified).")
            .Cost(QueryCost.Statement)
            .ResolveAsync(async ctx => ctx.Source.Shape?.Geometry ?? await ctx.RequestServices!.GetRequiredService<CatalogueDbContext>().Set<CommuneShape>()
                .AsNoTracking().Where(s => s.Code == ctx.Source.Code).Select(s => s.Geometry).FirstOrDefaultAsync(ctx.CancellationToken));
        Field<DepartementType>("departement").Cost(QueryCost.Statement).ResolveAsync(async ctx =>
            await ctx.RequestServices!.GetRequiredService<CatalogueDbContext>().Departements.AsNoTracking()
                .Where(d => d.Code == ctx.Source.DepartementCode).Select(d => new Departement { Code = d.Code, Nom = d.Nom, RegionCode = d.RegionCode, Zone = d.Zone, Population = d.Population })
                .FirstOrDefaultAsync(ctx.CancellationToken));
        Field<NonNullGraphType<IntGraphType>>("siteCount").Description("Number of places in the commune (counted for a whole page of communes at once).")
            .Cost(QueryCost.Object)
            .ResolveAsync(async ctx => await ctx.RequestServices!.GetRequiredService<PagePreload>().SiteCountAsync(ctx.Source.Code, ctx.CancellationToken));
        Field<NonNullGraphType<SiteConnectionType>>("sites").Description("The sites of this commune.")
            .WithSiteArguments(search.Value).ResolveAsync(async ctx => await SitesField.ResolveAsync(ctx, parentCommune: ctx.Source.Code));
        this.AddCommuneAnalysis();
    }
}

public sealed class DepartementType : ObjectGraphType<Departement>
{
    public DepartementType(Microsoft.Extensions.Options.IOptions<Data.Sites.SiteSearchOptions> search)
    {
        Name = "Departement";
        Field(x => x.Code);
        Field<NonNullGraphType<StringGraphType>>("name").Resolve(ctx => ctx.Source.Nom);
        Field(x => x.RegionCode);
        Field(x => x.Zone).Description("metro, drom or com.");
        Field(x => x.Population, nullable: true);
        Field<GeoJsonGraphType>("geometry").Cost(QueryCost.Statement).ResolveAsync(async ctx =>
            ctx.Source.Geometry ?? await ctx.RequestServices!.GetRequiredService<CatalogueDbContext>().Departements.AsNoTracking()
                .Where(d => d.Code == ctx.Source.Code).Select(d => d.Geometry).FirstOrDefaultAsync(ctx.CancellationToken));
        Field<NonNullGraphType<CommuneConnectionType>>("communes").Argument<StringGraphType>("search").Argument<IntGraphType>("first", a => a.DefaultValue = 100).Argument<StringGraphType>("after")
            .Cost(QueryCost.Statement).ListSize(slicingArgument: "first", sizedFields: ["edges", "nodes"])
            .ResolveAsync(async ctx => await CommunesField.ResolveAsync(ctx, ctx.Source.Code));
        Field<NonNullGraphType<SiteConnectionType>>("sites").Description("The sites of this département.")
            .WithSiteArguments(search.Value)
            .ResolveAsync(async ctx => await SitesField.ResolveAsync(ctx, parentDepartement: ctx.Source.Code));
        this.AddDepartementAnalysis();
    }
}

public sealed record CommuneEdge(string Cursor, Commune Node);

public sealed record CommuneConnection(IReadOnlyList<CommuneEdge> Edges, bool HasNextPage, bool HasPreviousPage, IQueryable<Commune> Filtered);

public sealed class CommuneEdgeType : ObjectGraphType<CommuneEdge>
{
    public CommuneEdgeType()
    {
        Name = "CommuneEdge";
        Field(x => x.Cursor);
        Field<NonNullGraphType<CommuneType>>("node").Resolve(ctx => ctx.Source.Node);
    }
}

public sealed class CommuneConnectionType : ObjectGraphType<CommuneConnection>
{
    public CommuneConnectionType()
    {
        Name = "CommuneConnection";
        Field<NonNullGraphType<IntGraphType>>("totalCount").Cost(QueryCost.Statement)
            .ResolveAsync(async ctx => await ctx.Source.Filtered.CountAsync(ctx.CancellationToken));
        Field<NonNullGraphType<PageInfoGraphType>>("pageInfo").Resolve(ctx =>
            new PageInfoData(ctx.Source.HasNextPage, ctx.Source.HasPreviousPage, ctx.Source.Edges.FirstOrDefault()?.Cursor, ctx.Source.Edges.LastOrDefault()?.Cursor));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<CommuneEdgeType>>>>("edges").Resolve(ctx => ctx.Source.Edges);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<CommuneType>>>>("nodes").Resolve(ctx => ctx.Source.Edges.Select(e => e.Node));
    }
}

/// <summary>Communes in code order, keyset-paged (cursor = the last code), optionally of one département or matching a text.</summary>
public static class CommunesField
{
    public const int MaxPageSize = 100;

    public static async Task<CommuneConnection> ResolveAsync(IResolveFieldContext ctx, string? departement)
    {
        var first = ctx.GetArgument("first", MaxPageSize);
        if (first < 0) throw new ExecutionError("first must be zero or more.") { Code = "BAD_USER_INPUT" };
        if (first > MaxPageSize) throw new ExecutionError($"first is limited to {MaxPageSize} per page; page with 'after'.") { Code = "PAGE_SIZE_EXCEEDED" };
        var db = ctx.RequestServices!.GetRequiredService<CatalogueDbContext>();
        var q = db.Communes.AsNoTracking();
        if (departement is not null) q = q.Where(c => c.DepartementCode == departement);
        if (ctx.GetArgument<string?>("search") is { } search)
        {
            if (search.Any(char.IsControl)) throw new ExecutionError("search may not hold control characters.") { Code = "BAD_USER_INPUT" };
            var folded = TextSearch.Fold(search);
            if (folded.Length is < 2 or > 100) throw new ExecutionError("search needs 2 to 100 characters.") { Code = "BAD_USER_INPUT" };
            q = q.Where(c => c.SearchText.Contains(folded));
        }
        // Decoded here, not inside the query: EF would wrap the refusal of a bad cursor in an exception of its own.
        var after = ctx.GetArgument<string?>("after") is { } cursor ? DecodeCursor(cursor) : null;
        var paged = q;
        if (after is not null) paged = q.Where(c => string.Compare(c.Code, after) > 0);
        // Geometries are large: load them only if a client asks (the field then reads them per commune).
        var rows = await paged.OrderBy(c => c.Code).Take(first + 1).Select(c => new Commune
        {
            Code = c.Code, Nom = c.Nom, DepartementCode = c.DepartementCode, RegionCode = c.RegionCode, EpciSiren = c.EpciSiren, EpciNom = c.EpciNom,
            Population = c.Population, CodesPostaux = c.CodesPostaux, Centre = c.Centre, AreaKm2 = c.AreaKm2, ShareNoDiploma = c.ShareNoDiploma,
            Share65Plus = c.Share65Plus, Share25OrUnder = c.Share25OrUnder, ShareLivingAlone = c.ShareLivingAlone,
            ShareSingleParentFamilies = c.ShareSingleParentFamilies, PovertyRate = c.PovertyRate,
            Population15Plus = c.Population15Plus, IllectronismRate = c.IllectronismRate, IllectronismLow = c.IllectronismLow,
            IllectronismHigh = c.IllectronismHigh, PeopleInNeed = c.PeopleInNeed, TerritoryClass = c.TerritoryClass,
            IllectronismImputed = c.IllectronismImputed, IfnTotal = c.IfnTotal, IfnNoThdCoverage = c.IfnNoThdCoverage,
            IfnNo4gCoverage = c.IfnNo4gCoverage, IfnPoverty = c.IfnPoverty, IfnOlder65 = c.IfnOlder65, IfnLowDiploma = c.IfnLowDiploma,
        }).ToListAsync(ctx.CancellationToken);
        var edges = rows.Take(first).Select(c => new CommuneEdge(EncodeCursor(c.Code), c)).ToList();
        ctx.RequestServices!.GetRequiredService<PagePreload>().RegisterCommunes(edges.Select(e => e.Node.Code));
        return new CommuneConnection(edges, rows.Count > first, after is not null, q);
    }

    private static readonly SearchValues<char> InseeCharacters = SearchValues.Create("0123456789AB");

    private static string EncodeCursor(string code) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes("c:" + code));

    private static string DecodeCursor(string cursor)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
            // An INSEE code (digits, 2A/2B for Corsica): a hand-made cursor carries nothing else to the database.
            if (text.StartsWith("c:", StringComparison.Ordinal) && text.Length is >= 4 and <= 8
                && !text.AsSpan(2).ContainsAnyExcept(InseeCharacters))
                return text[2..];
        }
        catch (FormatException)
        {
        }
        throw new ExecutionError("after is not a commune cursor of this API.") { Code = "BAD_CURSOR" };
    }
}

/// <summary>A commune proposed while someone types a name or a postcode.</summary>
public sealed record CommuneSuggestion(string Code, string Name, string DepartementCode, int? Population, IReadOnlyList<string> CodesPostaux, double? Latitude, double? Longitude);

public sealed class CommuneSuggestionType : ObjectGraphType<CommuneSuggestion>
{
    public CommuneSuggestionType()
    {
        Name = "CommuneSuggestion";
        Field(x => x.Code);
        Field(x => x.Name);
        Field(x => x.DepartementCode);
        Field(x => x.Population, nullable: true);
        Field(x => x.CodesPostaux);
        Field(x => x.Latitude, nullable: true).Description("A point inside the commune.");
        Field(x => x.Longitude, nullable: true);
    }
}
