using System.Globalization;
using System.Security.Cryptography;
using InclusionMap.Data.History;
using InclusionMap.Data.Import;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace InclusionMap.Data.Sources;

/// <summary>
/// The sync of one source: its file (a conditional GET of its URL, or its path), then, when it changed, the import of
/// today (validated, one transaction, the same <see cref="CatalogueImporter"/>, retiring what a complete file no longer
/// holds), its deduplication and its report (<c>import_runs</c>). An unchanged file costs one request and writes nothing
/// but the source's own state; a file that cannot be reached marks the source <see cref="SourceStatus.Unreachable"/>; a
/// file that cannot be read, or would retire too many records, changes nothing and flags the source for a person
/// (<see cref="SourceStatus.Flagged"/>). One sync at a time across every server of a deployment: a session advisory lock
/// on <see cref="LockKey"/>, held from the download to the end (the import itself also takes <see cref="CatalogueWriteLock"/>).
/// </summary>
public sealed class SourceSync(NpgsqlDataSource dataSource, HttpClient http, ILogger log)
{
    /// <summary>"InclMapS" in ASCII.</summary>
    public const long LockKey = 0x496E_636C_4D61_7053;

    /// <summary>Syncs <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No such source.</exception>
    /// <exception cref="CatalogueBusyException">Another sync runs and <see cref="SyncOptions.Wait"/> is false.</exception>
    public async Task<SyncResult> SyncAsync(string name, SyncOptions options, CancellationToken ct)
    {
        await using var lockConnection = await dataSource.OpenConnectionAsync(ct);
        await AcquireAsync(lockConnection, options.Wait, ct);
        try
        {
            return await SyncLockedAsync(name, options, ct);
        }
        finally
        {
            await using var unlock = new NpgsqlCommand($"SELECT pg_advisory_unlock({LockKey})", lockConnection);
            await unlock.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    private async Task AcquireAsync(NpgsqlConnection connection, bool wait, CancellationToken ct)
    {
        await using var tryLock = new NpgsqlCommand($"SELECT pg_try_advisory_lock({LockKey})", connection);
        if ((bool)(await tryLock.ExecuteScalarAsync(ct))!) return;
        if (!wait) throw new CatalogueBusyException("another sync is running; try again once it has finished.");
        log.LogWarning("Waiting for another sync to finish");
        await using var waitLock = new NpgsqlCommand($"SELECT pg_advisory_lock({LockKey})", connection) { CommandTimeout = 0 };
        await waitLock.ExecuteNonQueryAsync(ct);
    }

    private async Task<SyncResult> SyncLockedAsync(string name, SyncOptions options, CancellationToken ct)
    {
        await using var db = CatalogueDatabase.CreateContext(dataSource);
        var source = await db.Sources.FirstOrDefaultAsync(s => s.Name == name && s.RemovedAt == null, ct)
            ?? throw new ArgumentException($"no source named {name} (see: inclusionmap source list).");
        source.LastAttemptAt = DateTimeOffset.UtcNow;
        await db.SaveChangesAsync(ct);

        RemoteFile? download = null;
        try
        {
            string path;
            HttpValidators? validators = null;
            try
            {
                (path, download) = await FetchAsync(source, options, ct);
                if (download is { NotModified: true })
                    return await DoneAsync(db, source, SourceStatus.Unchanged, "unchanged (the server answered 304 Not Modified)", null,
                        download.Validators, null);
                validators = download?.Validators;
            }
            catch (ImportException e)
            {
                log.LogWarning("Source {Source} unreachable: {Reason}", name, e.Message);
                return await DoneAsync(db, source, SourceStatus.Unreachable, e.Message, null, null, null);
            }

            var hash = await HashAsync(path, ct);
            if (hash == source.ContentHash)
                return await DoneAsync(db, source, SourceStatus.Unchanged, "unchanged (same content as the file last applied)", null,
                    validators, hash);
            if (hash == source.RefusedHash && !options.AcceptRetirements)
                return await DoneAsync(db, source, SourceStatus.Flagged, source.Message ?? "the file refused last time, unchanged", null,
                    null, null);

            var format = ImportFormats.Parse(source.Format);
            var file = new ImportFile(path, format, source.Dataset, source.Complete, source.MaxRetiredShare);
            var importOptions = new ImportOptions
            {
                Actor = "sync:" + source.Name, Cause = ChangeCause.Sync, Source = source.Name,
                    AcceptRetirements = options.AcceptRetirements,
                DataDirectory = options.DataDirectory,
            };
            try
            {
                // A file of no known format (an error page served as 200, a garbled export) is refused before anything is read.
                if (!ImportFormats.Detect(path).IsPlaces())
                    throw new ImportException($"the file holds territories, not the places of a {format.Name()} file.");
                var report = await new CatalogueImporter(dataSource, log).ImportAsync([file], importOptions, ct);
                return await DoneAsync(db, source, SourceStatus.Applied, report.Summary, report, validators, hash);
            }
            catch (RetirementRefusedException e)
            {
                log.LogWarning("Source {Source} flagged: {Reason}", name, e.Message);
                var report = new ImportReport { StartedAt = source.LastAttemptAt.Value, FinishedAt = DateTimeOffset.UtcNow };
                report.Files.Add(e.File);
                var run = CatalogueImporter.Record(report, importOptions, applied: false);
                db.ImportRuns.Add(run);
                await db.SaveChangesAsync(ct);
                source.RefusedHash = hash;
                return await DoneAsync(db, source, SourceStatus.Flagged, e.Message, report, null, null, run.Id);
            }
            catch (ImportException e)
            {
                log.LogWarning("Source {Source} flagged: {Reason}", name, e.Message);
                source.RefusedHash = hash;
                return await DoneAsync(db, source, SourceStatus.Flagged, "the file was refused, nothing changed: " + e.Message, null, null,
                    null);
            }
        }
        finally
        {
            download?.Dispose();
        }
    }

    /// <summary>The file of a source: downloaded (conditionally, once a file was applied), or the local path.</summary>
    private async Task<(string Path, RemoteFile? Download)> FetchAsync(CatalogueSource source, SyncOptions options, CancellationToken ct)
    {
        if (Uri.TryCreate(source.Url, UriKind.Absolute, out var uri) && !uri.IsFile)
        {
            var previous = source.ContentHash is null ? null : new HttpValidators(source.ETag, source.LastModified);
            var download = await RemoteFile.DownloadAsync(http, uri, options.Download, ct, previous);
            return (download.Path, download);
        }
        var path = Path.IsPathRooted(source.Url) || options.DataDirectory is null
            ? source.Url
            : Path.Combine(options.DataDirectory, source.Url);
        if (!File.Exists(path)) throw new ImportException($"{path}: no such file.");
        return (path, null);
    }

    private async Task<SyncResult> DoneAsync(CatalogueDbContext db, CatalogueSource source, string status, string message,
        ImportReport? report,
        HttpValidators? validators, string? hash, long? refusedRun = null)
    {
        source.Status = status;
        source.Message = message;
        if (status is SourceStatus.Applied or SourceStatus.Unchanged)
        {
            source.LastSuccessAt = DateTimeOffset.UtcNow;
            source.RefusedHash = null;
            if (validators is not null) (source.ETag, source.LastModified) = (validators.ETag, validators.LastModified);
            if (hash is not null) source.ContentHash = hash;
        }
        var runId = report?.RunId ?? refusedRun;
        if (runId is not null) source.LastRunId = runId;
        // The state of the source is written whatever happened to the caller meanwhile.
        await db.SaveChangesAsync(CancellationToken.None);
        log.LogInformation("Source {Source}: {Status}: {Message}", source.Name, status, message);
        return new SyncResult(source.Name, status, message, report, runId);
    }

    private static async Task<string> HashAsync(string path, CancellationToken ct)
    {
        await using var stream = File.OpenRead(path);
        return Convert.ToHexString(await SHA256.HashDataAsync(stream, ct)).ToLower(CultureInfo.InvariantCulture);
    }
}
