using System.Buffers.Text;
using System.Globalization;
using System.Text;
using GraphQL;
using InclusionMap.Data;
using Microsoft.EntityFrameworkCore;

namespace InclusionMap.Server.GraphQL;

/// <summary><c>Site.history(first, after)</c>: keyset pages over <c>site_history</c> (index on site and id), newest first.</summary>
public static class SiteHistoryField
{
    public const int MaxPageSize = 100;

    public static async Task<SiteChangeConnection> ResolveAsync(IResolveFieldContext<Core.Places.Site> ctx)
    {
        var first = ctx.GetArgument("first", 20);
        if (first is < 0 or > MaxPageSize)
            throw new ExecutionError($"first must be between 0 and {MaxPageSize}; page with 'after'.") { Code = "PAGE_SIZE_EXCEEDED" };
        var after = ctx.GetArgument<string?>("after");
        long? before = after is null ? null : Decode(after);
        var db = ctx.RequestServices!.GetRequiredService<CatalogueDbContext>();
        var siteId = ctx.Source.Id;
        var rows = await db.SiteChanges.AsNoTracking().Where(c => c.SiteId == siteId && (before == null || c.Id < before))
            .OrderByDescending(c => c.Id).Take(first + 1).ToListAsync(ctx.CancellationToken);
        return new SiteChangeConnection(rows.Take(first).ToList(), rows.Count > first, after is not null);
    }

    public static string Cursor(long id) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes("h:" + id.ToString(CultureInfo.InvariantCulture)));

    private static long Decode(string cursor)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
            if (text.StartsWith("h:", StringComparison.Ordinal)
                && long.TryParse(text.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                return id;
        }
        catch (FormatException)
        {
        }
        throw new ExecutionError("after is not a cursor of this history.") { Code = "BAD_USER_INPUT" };
    }
}
