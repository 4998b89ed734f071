namespace InclusionMap.Data.Sources;

/// <summary>A source with the run of the last file it read (applied or refused).</summary>
public sealed record SourceView(CatalogueSource Source, ImportRun? LastRun);
