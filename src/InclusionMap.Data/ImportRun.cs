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
    public string Report { get; set; } = "{}";
}
