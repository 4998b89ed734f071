using System.Buffers;
using System.Buffers.Text;
using System.Text;
using GraphQL;
using InclusionMap.Core;
using InclusionMap.Core.Territories;
using InclusionMap.Data;
using Microsoft.EntityFrameworkCore;

namespace InclusionMap.Server.GraphQL;

/// <summary>Communes in code order, keyset-paged (cursor = the last code), optionally of one département or matching a text.</summary>
public static class CommunesField
{
    public const int MaxPageSize = 100;

    public static async Task<CommuneConnection> ResolveAsync(IResolveFieldContext ctx, string? departement)
    {
        var first = ctx.GetArgument("first", MaxPageSize);
        if (first < 0) throw new ExecutionError("first must be zero or more.") { Code = "BAD_USER_INPUT" };
        if (first > MaxPageSize)
            throw new ExecutionError($"first is limited to {MaxPageSize} per page; page with 'after'.") { Code = "PAGE_SIZE_EXCEEDED" };
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
            Code = c.Code, Nom = c.Nom, DepartementCode = c.DepartementCode, RegionCode = c.RegionCode, EpciSiren = c.EpciSiren,
            EpciNom = c.EpciNom, Population = c.Population, CodesPostaux = c.CodesPostaux, Centre = c.Centre, AreaKm2 = c.AreaKm2,
            ShareNoDiploma = c.ShareNoDiploma,
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
