using System.Text.Json;
using System.Text.RegularExpressions;
using Cronos;
using InclusionMap.Data.Import;
using Microsoft.EntityFrameworkCore;

namespace InclusionMap.Data.Sources;

/// <summary>
/// The sources a catalogue follows (<c>sources</c>): the declared ones of <c>data/sources.json</c>, each added once, and
/// those added from the command line. Checks what a person gives (name, URL or path, format, schedule, time zone).
/// </summary>
public static partial class SourceRegistry
{
    /// <summary>The sources <c>data/sources.json</c> declares (built into the assembly).</summary>
    public static IReadOnlyList<SourceDeclaration> Declared { get; } = ReadDeclared();

    /// <summary>Adds the declared sources a catalogue has never had (a removed one stays removed); returns how many.</summary>
    public static async Task<int> DeclareAsync(CatalogueDbContext db, CancellationToken ct)
    {
        var known = (await db.Sources.Select(s => s.Name).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        var datasets = (await db.Sources.Select(s => s.Dataset).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        var added = 0;
        foreach (var d in Declared.Where(d => !known.Contains(d.Name) && !datasets.Contains(d.Dataset)))
        {
            db.Sources.Add(new CatalogueSource
            {
                Name = d.Name, Url = d.Url, Format = d.Format, Dataset = d.Dataset, Schedule = d.Schedule, Complete = d.Complete,
                Owner = d.Owner, Licence = d.Licence, Attribution = d.Attribution, Origin = "file", CreatedAt = DateTimeOffset.UtcNow,
            });
            added++;
        }
        await db.SaveChangesAsync(ct);
        return added;
    }

    /// <summary>Sources never synced whose dataset an import (the seed) just loaded: their local copy stands for their last sync.</summary>
    public static async Task RecordImportAsync(CatalogueDbContext db, ImportReport report, string how, CancellationToken ct)
    {
        foreach (var file in report.Files.Where(f => f.Dataset is not null))
        {
            var source = await db.Sources.FirstOrDefaultAsync(s => s.Dataset == file.Dataset && s.RemovedAt == null
                && s.Status == SourceStatus.Never, ct);
            if (source is null) continue;
            source.Status = SourceStatus.Applied;
            source.Message = $"{how} ({Path.GetFileName(file.File)}): {file.Summary}";
            source.LastSuccessAt = report.FinishedAt;
            source.LastRunId = report.RunId;
        }
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The sources followed (not removed), by name, each with the run of its last file.</summary>
    public static async Task<List<SourceView>> ListAsync(CatalogueDbContext db, CancellationToken ct)
    {
        var sources = await db.Sources.AsNoTracking().Where(s => s.RemovedAt == null).OrderBy(s => s.Name).ToListAsync(ct);
        var runIds = sources.Select(s => s.LastRunId).OfType<long>().ToList();
        var runs = await db.ImportRuns.AsNoTracking().Where(r => runIds.Contains(r.Id))
            .Select(r => new ImportRun
            {
                Id = r.Id, StartedAt = r.StartedAt, FinishedAt = r.FinishedAt, Kind = r.Kind, Read = r.Read, Inserted = r.Inserted,
                Updated = r.Updated, Merged = r.Merged, Rejected = r.Rejected, Retired = r.Retired, Restored = r.Restored, Actor = r.Actor,
                Source = r.Source, Applied = r.Applied,
            })
            .ToDictionaryAsync(r => r.Id, ct);
        return sources.Select(s => new SourceView(s, s.LastRunId is { } id ? runs.GetValueOrDefault(id) : null)).ToList();
    }

    /// <summary>
    /// Adds a source (or brings back a removed one of that name, with the new settings).
    /// </summary>
    /// <exception cref="ArgumentException">A value is not acceptable; the message says which and why.</exception>
    public static async Task<CatalogueSource> AddAsync(CatalogueDbContext db, CatalogueSource wanted, CancellationToken ct)
    {
        Validate(wanted);
        var existing = await db.Sources.FirstOrDefaultAsync(s => s.Name == wanted.Name, ct);
        if (existing is { RemovedAt: null }) throw new ArgumentException($"a source named {wanted.Name} exists; remove it first.");
        if (await db.Sources.AnyAsync(s => s.Dataset == wanted.Dataset && s.Name != wanted.Name, ct))
            throw new ArgumentException($"the dataset {wanted.Dataset} belongs to another source; give --dataset.");
        if (existing is not null) db.Sources.Remove(existing);
        await db.SaveChangesAsync(ct);
        wanted.CreatedAt = DateTimeOffset.UtcNow;
        wanted.Origin = existing?.Origin ?? "cli";
        db.Sources.Add(wanted);
        await db.SaveChangesAsync(ct);
        return wanted;
    }

    /// <summary>Stops following a source: it is no longer synced nor listed; its records stay in the catalogue as they are.</summary>
    /// <returns>False when there is no such source.</returns>
    public static async Task<bool> RemoveAsync(CatalogueDbContext db, string name, CancellationToken ct)
    {
        var source = await db.Sources.FirstOrDefaultAsync(s => s.Name == name && s.RemovedAt == null, ct);
        if (source is null) return false;
        source.RemovedAt = DateTimeOffset.UtcNow;
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>Checks a source's settings.</summary>
    /// <exception cref="ArgumentException">Which value and why.</exception>
    public static void Validate(CatalogueSource source)
    {
        if (!NamePattern().IsMatch(source.Name))
            throw new ArgumentException($"'{source.Name}' is not a source name: lower-case letters, digits, '.', '_' and '-', at most 64.");
        if (Uri.TryCreate(source.Url, UriKind.Absolute, out var uri) && !uri.IsFile)
        {
            if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
                throw new ArgumentException($"{source.Url}: only http and https URLs, or a file path.");
        }
        else if (source.Url.Length == 0 || source.Url.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
            throw new ArgumentException($"'{source.Url}' is neither an http(s) URL nor a file path.");
        ImportFormat format;
        try
        {
            format = ImportFormats.Parse(source.Format);
        }
        catch (ImportException e)
        {
            throw new ArgumentException(e.Message, e);
        }
        if (!format.IsPlaces()) throw new ArgumentException($"{source.Format} is a territory format; a source publishes places.");
        if (source.Schedule is not null) ParseSchedule(source.Schedule);
        TimeZoneOf(source.TimeZone);
        if (!(source.MaxRetiredShare is >= 0 and <= 1))
            throw new ArgumentException("the share of records a file may retire is between 0 and 1.");
        if (!NamePattern().IsMatch(source.Dataset.ToLowerInvariant()))
            throw new ArgumentException($"'{source.Dataset}' is not a dataset name: letters, digits, '.', '_' and '-', at most 64.");
    }

    /// <summary>A cron expression: five fields, or six with seconds first.</summary>
    /// <exception cref="ArgumentException">Not a cron expression.</exception>
    public static CronExpression ParseSchedule(string schedule)
    {
        try
        {
            var fields = schedule.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
            return CronExpression.Parse(schedule, fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);
        }
        catch (CronFormatException e)
        {
            throw new ArgumentException($"'{schedule}' is not a cron schedule ({e.Message}); e.g. \"15 5 * * *\" for 05:15 every day.", e);
        }
    }

    /// <exception cref="ArgumentException">Not a time zone this machine knows.</exception>
    public static TimeZoneInfo TimeZoneOf(string id)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new ArgumentException($"'{id}' is not a time zone (an IANA name such as Europe/Paris).", e);
        }
    }

    /// <summary>
    /// When a source is next due: the first time its schedule fires after its last attempt (or after it was added, so a
    /// new source waits for its first slot, and a failed one for its next: never a storm of retries). Null: not scheduled.
    /// </summary>
    public static DateTimeOffset? NextDue(CatalogueSource source)
    {
        if (source.Schedule is null || source.RemovedAt is not null) return null;
        var from = (source.LastAttemptAt ?? source.CreatedAt).UtcDateTime;
        return ParseSchedule(source.Schedule).GetNextOccurrence(DateTime.SpecifyKind(from, DateTimeKind.Utc),
            TimeZoneOf(source.TimeZone)) is { } next
            ? new DateTimeOffset(next, TimeSpan.Zero)
            : null;
    }

    private static IReadOnlyList<SourceDeclaration> ReadDeclared()
    {
        using var stream = typeof(SourceRegistry).Assembly.GetManifestResourceStream("InclusionMap.Data.sources.json")
            ?? throw new InvalidOperationException("data/sources.json is not built into InclusionMap.Data.");
        using var document = JsonDocument.Parse(stream);
        return document.RootElement.GetProperty("sources").EnumerateArray().Select(e => new SourceDeclaration(
            e.GetProperty("name").GetString()!, e.GetProperty("url").GetString()!, e.GetProperty("format").GetString()!,
            e.GetProperty("dataset").GetString()!, Text(e, "schedule"), Text(e, "seed"),
            !e.TryGetProperty("complete", out var complete) || complete.GetBoolean(), Text(e, "owner"), Text(e, "licence"),
            Text(e, "attribution"), e.TryGetProperty("urlConfirmed", out var confirmed) && confirmed.GetBoolean())).ToList();

        static string? Text(JsonElement e, string name) => e.TryGetProperty(name, out var v)
            && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$")]
    private static partial Regex NamePattern();
}
