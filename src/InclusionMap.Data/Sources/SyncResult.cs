using InclusionMap.Data.Import;

namespace InclusionMap.Data.Sources;

/// <summary>
/// What a sync did: <see cref="Status"/> is a <see cref="SourceStatus"/> value; <see cref="Message"/> says it in a sentence.
/// </summary>
public sealed record SyncResult(string Source, string Status, string Message, ImportReport? Report, long? RunId);
