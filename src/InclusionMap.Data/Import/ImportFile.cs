namespace InclusionMap.Data.Import;

/// <summary>A file to import. <paramref name="Dataset"/> overrides the dataset name derived from the file name.</summary>
/// <param name="Path">The file.</param>
/// <param name="Format">The format, when not detected from the content.</param>
/// <param name="Dataset">The dataset (upsert key of its records).</param>
/// <param name="Complete">The file lists every record of its dataset: a known record it does not hold is retired.</param>
/// <param name="MaxRetiredShare">With <paramref name="Complete"/>: a file that would retire more than this share of the
/// dataset's records is refused (<see cref="RetirementRefusedException"/>); null: no limit.</param>
public sealed record ImportFile(string Path, ImportFormat? Format = null, string? Dataset = null, bool Complete = false,
    double? MaxRetiredShare = null);
