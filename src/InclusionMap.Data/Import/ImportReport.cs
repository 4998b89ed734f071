using System.Text.Json.Serialization;

namespace InclusionMap.Data.Import;

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
