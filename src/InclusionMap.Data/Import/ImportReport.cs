using System.Text.Json.Serialization;

namespace InclusionMap.Data.Import;

/// <summary>One problem in one row: a rejected row (not imported) or a warning (value dropped or rewritten, row imported).</summary>
public sealed record ImportIssue(int Row, string? Id, string Field, string? Value, string Reason, string Severity)
{
    public const string Rejected = "rejected";
    public const string Warning = "warning";
}

/// <summary>What the import did with one file.</summary>
public sealed class FileReport
{
    public required string File { get; init; }
    public required string Format { get; init; }
    public string? Dataset { get; init; }
    public int Read { get; set; }
    public int Inserted { get; set; }
    public int Updated { get; set; }
    public int Unchanged { get; set; }
    public int Rejected { get; set; }
    /// <summary>Known records this complete file no longer holds: retired (kept, hidden once a site has no other).</summary>
    public int Retired { get; set; }
    /// <summary>Retired records this file holds again: restored, their sites with their old ids.</summary>
    public int Restored { get; set; }
    /// <summary>Territory rows that name something absent from the catalogue (e.g. population of a commune without polygon).</summary>
    public int Skipped { get; set; }
    /// <summary>Time spent on this file inside the run's transaction.</summary>
    public long ElapsedMilliseconds { get; set; }
    public List<ImportIssue> Issues { get; } = [];

    /// <summary>Ids of the source records this file inserted, changed, retired or restored (deduplication rebuilds their sites).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public List<long> ChangedSources { get; } = [];

    public string Summary => $"{Path.GetFileName(File)} [{Format}]: read {Read}, inserted {Inserted}, updated {Updated}, unchanged {Unchanged}, rejected {Rejected}"
        + (Retired > 0 ? $", retired {Retired}" : "") + (Restored > 0 ? $", restored {Restored}" : "")
        + (Skipped > 0 ? $", skipped {Skipped}" : "") + (Issues.Count(i => i.Severity == ImportIssue.Warning) is > 0 and var w ? $", warnings {w}" : "");
}

/// <summary>The report of one import run (written with --report).</summary>
public sealed class ImportReport
{
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset FinishedAt { get; set; }
    public bool DryRun { get; init; }
    public bool Strict { get; init; }
    public bool Committed { get; set; }
    /// <summary>Why the run was refused as a whole (a file that cannot be read, a database failure); null when it ran.</summary>
    public string? Error { get; set; }
    public List<FileReport> Files { get; } = [];

    public int Read => Files.Sum(f => f.Read);
    public int Inserted => Files.Sum(f => f.Inserted);
    public int Updated => Files.Sum(f => f.Updated);
    /// <summary>Sites absorbed into another by the deduplication that ends the run.</summary>
    public int Merged { get; set; }
    /// <summary>Sites split off because the rule no longer joins them (after raising the threshold).</summary>
    public int Split { get; set; }
    /// <summary>The deduplication threshold the run used.</summary>
    public double? DedupThreshold { get; set; }
    public int Rejected => Files.Sum(f => f.Rejected);
    public int Retired => Files.Sum(f => f.Retired);
    public int Restored => Files.Sum(f => f.Restored);
    /// <summary>Rows written to the sites' history.</summary>
    public int HistoryRows { get; set; }
    /// <summary>The recorded run (<c>import_runs.id</c>) once committed.</summary>
    public long? RunId { get; set; }

    /// <summary>The one-line summary printed by the import verb (retirements and restorations only when there are some).</summary>
    [JsonIgnore]
    public string Summary => $"read {Read}, inserted {Inserted}, updated {Updated}, merged {Merged}, rejected {Rejected}"
        + (Retired > 0 ? $", retired {Retired}" : "") + (Restored > 0 ? $", restored {Restored}" : "");
}
