namespace InclusionMap.Data.Sources;

/// <summary>
/// A producer the catalogue follows: where its file is published, in which format, how often to look at it, and what
/// the last look found. Declared in <c>data/sources.json</c> (added to the catalogue once) or with <c>inclusionmap source add</c>.
/// </summary>
public class CatalogueSource
{
    public string Name { get; set; } = "";
    /// <summary>An http(s) URL, or a path on the server (a path relative to the open-data directory, or absolute).</summary>
    public string Url { get; set; } = "";
    /// <summary>An <see cref="Import.ImportFormat"/> name (<c>france-services-csv</c>…).</summary>
    public string Format { get; set; } = "";
    /// <summary>The upsert key of its records (<c>site_sources.dataset</c>); the seed's name for the same file.</summary>
    public string Dataset { get; set; } = "";
    /// <summary>A cron expression (5 fields, or 6 with seconds first); null: synced only when asked.</summary>
    public string? Schedule { get; set; }
    /// <summary>The time zone of <see cref="Schedule"/> (IANA id).</summary>
    public string TimeZone { get; set; } = SourceDefaults.TimeZone;
    /// <summary>Whether each file lists every record of the source: then a record missing from a newer file is retired.</summary>
    public bool Complete { get; set; } = true;
    /// <summary>A file that would retire more than this share of the source's records is refused and the source flagged.</summary>
    public double MaxRetiredShare { get; set; } = SourceDefaults.MaxRetiredShare;
    public string? Owner { get; set; }
    public string? Licence { get; set; }
    public string? Attribution { get; set; }
    /// <summary><c>file</c> (data/sources.json) or <c>cli</c>.</summary>
    public string Origin { get; set; } = "cli";
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>
    /// Set by <c>source remove</c>: the source is no longer synced nor listed, and the declared file does not bring it back.
    /// </summary>
    public DateTimeOffset? RemovedAt { get; set; }

    /// <summary>The validators of the last file applied or found unchanged (conditional GET), and its SHA-256.</summary>
    public string? ETag { get; set; }
    public string? LastModified { get; set; }
    public string? ContentHash { get; set; }
    /// <summary>The SHA-256 of the last file refused (flagged): the same file again is not read again.</summary>
    public string? RefusedHash { get; set; }

    /// <summary>When a sync last began, successful or not (schedules count from it, so a failure is not retried at once).</summary>
    public DateTimeOffset? LastAttemptAt { get; set; }
    /// <summary>When a sync last finished and left the catalogue current with the producer's file.</summary>
    public DateTimeOffset? LastSuccessAt { get; set; }
    /// <summary>One of <see cref="SourceStatus"/>'s values.</summary>
    public string Status { get; set; } = SourceStatus.Never;
    /// <summary>What the last sync found, in a sentence (the reason of a failure or a flag).</summary>
    public string? Message { get; set; }
    /// <summary>The import run of the last file read (applied or refused): its counts and report.</summary>
    public long? LastRunId { get; set; }
}
