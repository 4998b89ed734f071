using System.Globalization;
using InclusionMap.Core.Places;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;
using Npgsql;
using NpgsqlTypes;

namespace InclusionMap.Data.History;

/// <summary>
/// Collects the changes of one write run (an import, a sync, a dedup) and writes them to <c>site_history</c> in one
/// batch, inside the run's transaction. The registry fields of every site the run may change are captured before it
/// does; at the end the sites are read again and compared field by field, so the history holds the net change of each
/// field whatever path it took (a record's update, then the merge that rebuilt the site). Events without a field (a
/// site created, merged into another, split off) and the retirement changes are added as they happen.
/// </summary>
public sealed class SiteHistoryRecorder(string actor, string cause)
{
    /// <summary>
    /// The fields compared: every registry field but the id, what the database derives and what changes without a change of content.
    /// </summary>
    private static readonly SiteField[] Compared = SiteFields.All
        .Where(f => f.Name is not (nameof(Site.Id) or nameof(Site.UpdatedAt) or nameof(Site.LastConfirmed) or nameof(Site.RetiredAt)
            or nameof(Site.EditedAt)
            or nameof(Site.Latitude) or nameof(Site.Longitude)))
        .ToArray();

    private readonly Dictionary<long, string?[]> _before = [];
    private readonly Dictionary<long, (string Cause, string? Dataset)> _why = [];
    private readonly HashSet<long> _created = [];
    private readonly List<SiteChange> _events = [];

    public string Actor { get; } = actor;
    /// <summary>The cause of the run's own changes: <see cref="ChangeCause.Import"/> or <see cref="ChangeCause.Sync"/>.</summary>
    public string Cause { get; } = cause;

    /// <summary>Captures <paramref name="site"/> (loaded, not yet changed) the first time; the cause of its changes is the run's.</summary>
    public void Capture(Site site, string? dataset)
    {
        _before.TryAdd(site.Id, Values(site));
        _why.TryAdd(site.Id, (Cause, dataset));
    }

    /// <summary>
    /// Captures the sites of <paramref name="ids"/> not captured yet, read from the run's transaction.
    /// <paramref name="cause"/> given: it becomes the cause of their changes (a merge or split outranks a record's update).
    /// </summary>
    public async Task CaptureAsync(CatalogueDbContext db, IReadOnlyCollection<long> ids, string? cause, CancellationToken ct)
    {
        var missing = ids.Where(id => !_before.ContainsKey(id) && !_created.Contains(id)).Distinct().ToList();
        if (missing.Count > 0)
            foreach (var site in await db.Sites.IgnoreQueryFilters().AsNoTracking().Where(s => missing.Contains(s.Id)).ToListAsync(ct))
                _before[site.Id] = Values(site);
        if (cause is null) return;
        foreach (var id in ids) _why[id] = (cause, _why.TryGetValue(id, out var why) ? why.Dataset : null);
    }

    /// <summary>A site created by the run: an event, no field comparison (its first values are its row).</summary>
    public void Created(long siteId, string cause, string? dataset, string? detail)
    {
        _created.Add(siteId);
        Event(siteId, cause, dataset, null, null, detail);
    }

    /// <summary>An event or a change recorded as it happens.</summary>
    public void Event(long siteId, string cause, string? dataset, string? field, string? oldValue, string? newValue) =>
        _events.Add(new SiteChange { SiteId = siteId, Cause = cause, Dataset = dataset, Field = field, OldValue = oldValue,
            NewValue = newValue });

    /// <summary>Notes that a record of <paramref name="dataset"/> changed the site's state (retired or restored it).</summary>
    public void Note(long siteId, string? dataset) => _why.TryAdd(siteId, (Cause, dataset));

    /// <summary>The dataset the run's changes of a site came from, when known.</summary>
    public string? DatasetOf(long siteId) => _why.TryGetValue(siteId, out var why) ? why.Dataset : null;

    /// <summary>
    /// Compares the captured sites with what they are now, then inserts every row (binary COPY, one round trip) with
    /// <paramref name="runId"/>; sites created and deleted within the run leave nothing. Returns the rows written.
    /// </summary>
    public async Task<int> WriteAsync(NpgsqlConnection connection, CatalogueDbContext db, long? runId, DateTimeOffset at,
        CancellationToken ct)
    {
        var ids = _before.Keys.Concat(_created).ToList();
        var now = (await db.Sites.IgnoreQueryFilters().AsNoTracking().Where(s => ids.Contains(s.Id)).Select(s =>
            s.Id).ToListAsync(ct)).ToHashSet();
        var rows = _events.Where(e => now.Contains(e.SiteId) || !_created.Contains(e.SiteId)).ToList();
        var changed = _before.Keys.Where(now.Contains).ToList();
        foreach (var site in await db.Sites.IgnoreQueryFilters().AsNoTracking().Where(s => changed.Contains(s.Id)).ToListAsync(ct))
        {
            var before = _before[site.Id];
            var after = Values(site);
            var (why, dataset) = _why.GetValueOrDefault(site.Id, (Cause, null));
            for (var i = 0; i < Compared.Length; i++)
                if (before[i] != after[i])
                    rows.Add(new SiteChange
                    {
                        SiteId = site.Id, Cause = why, Dataset = dataset, Field = Compared[i].GraphQLName, OldValue = before[i],
                            NewValue = after[i],
                    });
        }
        if (rows.Count == 0) return 0;
        await using var writer = await connection.BeginBinaryImportAsync(
            "COPY site_history (site_id, at, actor, cause, dataset, field, old_value, new_value, run_id) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var row in rows.OrderBy(r => r.SiteId))
        {
            await writer.StartRowAsync(ct);
            await writer.WriteAsync(row.SiteId, NpgsqlDbType.Bigint, ct);
            await writer.WriteAsync(at, NpgsqlDbType.TimestampTz, ct);
            await writer.WriteAsync(Actor, NpgsqlDbType.Text, ct);
            await writer.WriteAsync(row.Cause, NpgsqlDbType.Text, ct);
            await WriteNullableAsync(writer, row.Dataset, ct);
            await WriteNullableAsync(writer, row.Field, ct);
            await WriteNullableAsync(writer, row.OldValue, ct);
            await WriteNullableAsync(writer, row.NewValue, ct);
            if (runId is { } run) await writer.WriteAsync(run, NpgsqlDbType.Bigint, ct);
            else await writer.WriteNullAsync(ct);
        }
        await writer.CompleteAsync(ct);
        return rows.Count;
    }

    private static Task WriteNullableAsync(NpgsqlBinaryImporter writer, string? value, CancellationToken ct) =>
        value is null ? writer.WriteNullAsync(ct) : writer.WriteAsync(value, NpgsqlDbType.Text, ct);

    private static string?[] Values(Site site) => Compared.Select(f => Text(f, f.Get(site))).ToArray();

    /// <summary>
    /// A field's value as the history stores it: text as is, numbers and instants in invariant ISO form, dates
    /// <c>yyyy-MM-dd</c>, lists joined with <c>|</c> as in the national schema (empty: null), a position as WKT.
    /// </summary>
    public static string? Text(SiteField field, object? value) => value switch
    {
        null => null,
        string s => s,
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
        List<string> list => list.Count == 0 ? null : string.Join('|', list),
        Point p => string.Create(CultureInfo.InvariantCulture, $"POINT ({p.X:R} {p.Y:R})"),
        _ => throw new InvalidOperationException($"No history text for {field.Name}."),
    };
}
