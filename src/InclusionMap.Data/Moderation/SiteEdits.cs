using System.Globalization;
using InclusionMap.Core.Places;
using InclusionMap.Data.History;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;
using Npgsql;

namespace InclusionMap.Data.Moderation;

/// <summary>
/// Edited fields (<see cref="SiteEdit"/>) and the rule that makes them win: after every write run has rebuilt places from
/// their source records (an import, a sync, a dedup), and after each edit, <see cref="ApplyAsync"/> puts every active
/// edit back, unless a source now has a record with a <c>date_maj</c> newer than the edit's day and than the newest
/// <c>date_maj</c> the place had when it was edited: then the source's value stays, and the edit becomes a conflict for the
/// coordinators' queue (or is retired quietly when the source gives the same value).
/// </summary>
public static class SiteEdits
{
    /// <summary>The dataset under which InclusionMap itself is a provenance: edited places, and places added from suggestions.</summary>
    public const string Dataset = "inclusionmap";

    /// <summary>The provenance an edited place shows beside its source records (GraphQL <c>sources</c>): InclusionMap, on the day of the
    /// last edit.</summary>
    public static SiteSource Provenance(long siteId, DateTimeOffset editedAt) => new()
    {
        SiteId = siteId, Dataset = Dataset, SourceId = "edits", SourceFile = "", Format = "edit", DateMaj = Day(editedAt),
            ImportedAt = editedAt,
        LastSeenAt = editedAt,
    };

    /// <summary>The fields people may edit: the national schema's (but the id, the date and the coordinates, which are
    /// derived) as the registry carries them, the position, and the temporary closure, which no source gives.</summary>
    public static readonly IReadOnlyList<SiteField> Editable = SiteFields.All
        .Where(f => f.Schema is not null and not ("date_maj" or "latitude" or "longitude" or "source")
            || f.Name is nameof(Site.Location) or nameof(Site.TemporarilyClosedFrom) or nameof(Site.TemporarilyClosedUntil))
        .ToList();

    /// <summary>The fields compared to tell whether applying edits changed a place (all but its id).</summary>
    private static readonly SiteField[] Compared = [.. SiteFields.All.Where(f => f.Kind != SiteFieldKind.Id)];

    /// <summary>Fields whose change moves the place to another commune (its territory is resolved again).</summary>
    private static readonly HashSet<string> Territorial = [nameof(Site.Location), nameof(Site.CodeInsee), nameof(Site.CodePostal)];

    private static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

    /// <summary>Whether a source can give the field (then a newer source record can overrule an edit of it).</summary>
    public static bool FromSources(SiteField field) => field.Schema is not null || field.Name == nameof(Site.Location);

    /// <summary>The day of an instant in France (the national schema's dates are French days).</summary>
    public static DateOnly Day(DateTimeOffset at) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, Paris).DateTime);

    /// <summary>A value in the history's text form (<see cref="SiteHistoryRecorder.Text"/>).</summary>
    public static string? Text(SiteField field, object? value) => SiteHistoryRecorder.Text(field, value);

    /// <summary>The value of a field from its text form; the inverse of <see cref="Text"/>.</summary>
    public static object? Parse(SiteField field, string? text)
    {
        if (text is null) return field.Kind == SiteFieldKind.TextList ? new List<string>() : field.Nullable ? null : "";
        return field.Kind switch
        {
            SiteFieldKind.Text => text,
            SiteFieldKind.TextList => text.Split('|').ToList(),
            SiteFieldKind.Date => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture),
            SiteFieldKind.Point => ParsePoint(text),
            _ => throw new InvalidOperationException($"{field.Name} cannot be edited."),
        };
    }

    private static Point ParsePoint(string wkt)
    {
        var inside = wkt.Trim()["POINT (".Length..^1].Split(' ');
        return SiteRecord.Wgs84.CreatePoint(new Coordinate(double.Parse(inside[0], CultureInfo.InvariantCulture),
            double.Parse(inside[1], CultureInfo.InvariantCulture)));
    }

    /// <summary>The newest <c>date_maj</c> of each place's source records still listed (of all of them once every one is
    /// retired).</summary>
    public static async Task<Dictionary<long, DateOnly>> NewestSourceDatesAsync(CatalogueDbContext db, IReadOnlyCollection<long> siteIds,
        CancellationToken ct)
    {
        var ids = siteIds.ToArray();
        var rows = await db.Database.SqlQuery<SourceDate>($"""
            SELECT site_id, COALESCE(max(date_maj) FILTER (WHERE retired_at IS NULL), max(date_maj)) AS date_maj
              FROM site_sources WHERE site_id = ANY({ids}) GROUP BY site_id
            """).ToListAsync(ct);
        return rows.ToDictionary(r => r.SiteId, r => r.DateMaj);
    }

    /// <summary>
    /// Puts the active edits of <paramref name="siteIds"/> (null: of every place) back on their places, or turns them into
    /// conflicts as the rule says, in the caller's transaction; a place whose position, postcode or INSEE code changes has
    /// its commune and département resolved again. Changes go to <paramref name="history"/> when one is given.
    /// </summary>
    /// <returns>The places changed.</returns>
    public static async Task<IReadOnlyList<long>> ApplyAsync(CatalogueDbContext db, SiteHistoryRecorder? history,
        IReadOnlyCollection<long>? siteIds, CancellationToken ct)
    {
        var query = db.Set<SiteEdit>().Where(e => e.Status == SiteEditStatus.Active);
        if (siteIds is not null) query = query.Where(e => siteIds.Contains(e.SiteId));
        var edits = await query.OrderBy(e => e.Id).ToListAsync(ct);
        if (edits.Count == 0) return [];
        var ids = edits.Select(e => e.SiteId).Distinct().ToList();
        var newest = await NewestSourceDatesAsync(db, ids, ct);
        var sites = await db.Sites.IgnoreQueryFilters().Where(s => ids.Contains(s.Id)).ToDictionaryAsync(s => s.Id, ct);
        var now = DateTimeOffset.UtcNow;
        var changed = new List<long>();
        var moved = new List<long>();
        foreach (var group in edits.GroupBy(e => e.SiteId))
        {
            // A place deleted by a merge takes its edits with it (foreign key); none is left here.
            if (!sites.TryGetValue(group.Key, out var site)) continue;
            history?.Capture(site, null);
            var sourceDate = newest.TryGetValue(site.Id, out var d) ? d : (DateOnly?)null;
            var before = Compared.ToDictionary(f => f.Name, f => Text(f, f.Get(site)));
            var applied = new List<SiteEdit>();
            foreach (var edit in group)
            {
                var field = SiteFields.ByGraphQLName[edit.Field];
                var threshold = Max(Day(edit.EditedAt), edit.BaseDateMaj);
                if (FromSources(field) && sourceDate > threshold)
                {
                    var current = Text(field, field.Get(site));
                    edit.Status = current == edit.Value ? SiteEditStatus.Superseded : SiteEditStatus.Conflict;
                    edit.SourceValue = current;
                    edit.ConflictAt = now;
                    continue;
                }
                field.Set(site, Parse(field, edit.Value));
                applied.Add(edit);
            }
            if (applied.Count > 0)
            {
                // The place's date is its newest information's: the sources' or the latest edit's day.
                var editDay = applied.Max(e => Day(e.EditedAt));
                site.DateMaj = Max(editDay, sourceDate) ?? editDay;
            }
            if (Compared.Any(f => before[f.Name] != Text(f, f.Get(site))))
            {
                site.UpdatedAt = now;
                changed.Add(site.Id);
                if (Territorial.Any(name => before[name] != Text(SiteFields.ByName[name],
                    SiteFields.ByName[name].Get(site)))) moved.Add(site.Id);
            }
        }
        await db.SaveChangesAsync(ct);
        if (moved.Count > 0)
        {
            var connection = (NpgsqlConnection)db.Database.GetDbConnection();
            await using (var reset = new NpgsqlCommand("UPDATE sites SET commune_code = NULL WHERE id = ANY($1)", connection))
            {
                reset.Parameters.Add(new NpgsqlParameter { Value = moved.ToArray() });
                await reset.ExecuteNonQueryAsync(ct);
            }
            await Import.CatalogueImporter.ResolveTerritoriesAsync(connection, [.. moved], ct);
        }
        return changed;
    }

    private static DateOnly? Max(DateOnly a, DateOnly? b) => b is { } x && x > a ? x : a;

    /// <summary>A row of <see cref="NewestSourceDatesAsync"/>.</summary>
    internal sealed record SourceDate(long SiteId, DateOnly DateMaj);
}
