using InclusionMap.Data.History;

namespace InclusionMap.Data.Import;

public sealed record ImportOptions
{
    /// <summary>Do everything, report, then roll back.</summary>
    public bool DryRun { get; init; }
    /// <summary>Any rejected row rejects the whole run.</summary>
    public bool Strict { get; init; }
    /// <summary>Called after each file is written, inside the transaction (progress reporting; tests use it to fail mid-import).</summary>
    public Func<FileReport, CancellationToken, Task>? AfterFile { get; init; }
    /// <summary>The deduplication threshold (kept for later runs); null: the one kept, else the default.</summary>
    public double? DedupThreshold { get; init; }
    /// <summary>False to skip the deduplication that ends a run with places (tests of the import alone).</summary>
    public bool Deduplicate { get; init; } = true;
    /// <summary>
    /// False to fail at once (<see cref="CatalogueBusyException"/>) when another import or dedup holds <see cref="CatalogueWriteLock"/>.
    /// </summary>
    public bool WaitForWriteLock { get; init; } = true;
    /// <summary>Above this many sites the import does not re-sort them (<see cref="CatalogueDatabase.ClusterSitesSql"/>).</summary>
    public int ClusterSitesMaxSites { get; init; } = CatalogueDatabase.ClusterSitesMaxSites;
    /// <summary>Who runs it, as the history and the run record say: <c>import</c>, <c>sync:NAME</c>.</summary>
    public string Actor { get; init; } = "import";
    /// <summary>The cause of its changes in the history (<see cref="ChangeCause.Import"/> or <see cref="ChangeCause.Sync"/>).</summary>
    public string Cause { get; init; } = ChangeCause.Import;
    /// <summary>The source synced, for the run record.</summary>
    public string? Source { get; init; }
    /// <summary>Apply a complete file whatever share of its records it retires (a person has looked at it).</summary>
    public bool AcceptRetirements { get; init; }
    /// <summary>The open-data directory, to name the territory files in the message of a catalogue without communes.</summary>
    public string? DataDirectory { get; init; }
}
