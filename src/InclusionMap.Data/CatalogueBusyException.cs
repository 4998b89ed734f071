namespace InclusionMap.Data;

/// <summary>Another import, dedup or sync holds the <see cref="CatalogueWriteLock"/> and the caller chose not to wait.</summary>
public sealed class CatalogueBusyException(string message) : Exception(message);
