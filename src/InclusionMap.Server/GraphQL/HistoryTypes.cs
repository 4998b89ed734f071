using System.Buffers.Text;
using System.Globalization;
using System.Text;
using GraphQL;
using GraphQL.Types;
using InclusionMap.Data;
using InclusionMap.Data.History;
using Microsoft.EntityFrameworkCore;

namespace InclusionMap.Server.GraphQL;

/// <summary>A page of a site's history, newest first.</summary>
public sealed record SiteChangeConnection(IReadOnlyList<SiteChange> Changes, bool HasNextPage, bool HasPreviousPage);

public sealed class SiteChangeType : ObjectGraphType<SiteChange>
{
    public SiteChangeType()
    {
        Name = "SiteChange";
        Description = "One change of a site: a field's old and new value, or an event (created, merged, split) without a field.";
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("at").Resolve(ctx => ctx.Source.At);
        Field(x => x.Actor).Description("Who: sync:NAME (a source's sync), import, dedup, later a person.");
        Field(x => x.Cause).Description("Why: sync, import, merge, split, retirement, restoration or edit.");
        Field(x => x.Dataset, nullable: true).Description("The dataset whose record caused it, when one did.");
        Field(x => x.Field, nullable: true).Description("The field changed (its GraphQL name); null for an event.");
        Field(x => x.OldValue, nullable: true).Description("Lists joined with |, dates yyyy-MM-dd, instants ISO 8601, the position as WKT.");
        Field(x => x.NewValue, nullable: true).Description("For an event, what happened (e.g. merged into site 42).");
    }
}

public sealed class SiteChangeEdgeType : ObjectGraphType<SiteChange>
{
    public SiteChangeEdgeType()
    {
        Name = "SiteChangeEdge";
        Field<NonNullGraphType<StringGraphType>>("cursor").Resolve(ctx => SiteHistoryField.Cursor(ctx.Source.Id));
        Field<NonNullGraphType<SiteChangeType>>("node").Resolve(ctx => ctx.Source);
    }
}

public sealed class SiteChangeConnectionType : ObjectGraphType<SiteChangeConnection>
{
    public SiteChangeConnectionType()
    {
        Name = "SiteChangeConnection";
        Description = "A page of a site's history, newest first (Relay cursor connection).";
        Field<NonNullGraphType<PageInfoGraphType>>("pageInfo").Resolve(ctx => new PageInfoData(ctx.Source.HasNextPage, ctx.Source.HasPreviousPage,
            ctx.Source.Changes.Count > 0 ? SiteHistoryField.Cursor(ctx.Source.Changes[0].Id) : null,
            ctx.Source.Changes.Count > 0 ? SiteHistoryField.Cursor(ctx.Source.Changes[^1].Id) : null));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<SiteChangeEdgeType>>>>("edges").Resolve(ctx => ctx.Source.Changes);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<SiteChangeType>>>>("nodes").Resolve(ctx => ctx.Source.Changes);
    }
}

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

    public static string Cursor(long id) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes("h:" + id.ToString(CultureInfo.InvariantCulture)));

    private static long Decode(string cursor)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
            if (text.StartsWith("h:", StringComparison.Ordinal) && long.TryParse(text.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                return id;
        }
        catch (FormatException)
        {
        }
        throw new ExecutionError("after is not a cursor of this history.") { Code = "BAD_USER_INPUT" };
    }
}
