namespace InclusionMap.Data;

/// <summary>A recorded run of the import (what was read and what it did), for provenance and support.</summary>
public class ImportRun
{
    public long Id { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset FinishedAt { get; set; }
    public string Kind { get; set; } = "";
    public int Read { get; set; }
    public int Inserted { get; set; }
    public int Updated { get; set; }
    public int Merged { get; set; }
    public int Rejected { get; set; }
    /// <summary>Source records a newer complete file no longer held.</summary>
    public int Retired { get; set; }
    /// <summary>Retired source records a newer file held again.</summary>
    public int Restored { get; set; }
    /// <summary>Who ran it: <c>import</c>, <c>sync:NAME</c>.</summary>
    public string Actor { get; set; } = "import";
    /// <summary>The source synced, for a sync.</summary>
    public string? Source { get; set; }
    /// <summary>False for a file read and refused (too many retirements): the report says why, the catalogue did not change.</summary>
    public bool Applied { get; set; } = true;
    public string Report { get; set; } = "{}";
}
