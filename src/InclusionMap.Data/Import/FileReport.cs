namespace InclusionMap.Data.Import;

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

    public string Summary => $"{Path.GetFileName(File)} [{Format}]: read {Read}, inserted {Inserted}, updated {Updated}, "
        + $"unchanged {Unchanged}, rejected {Rejected}"
        + (Retired > 0 ? $", retired {Retired}" : "") + (Restored > 0 ? $", restored {Restored}" : "")
        + (Skipped > 0 ? $", skipped {Skipped}" : "")
        + (Issues.Count(i => i.Severity == ImportIssue.Warning) is > 0 and var w ? $", warnings {w}" : "");
}
