namespace InclusionMap.Data.Import;

/// <summary>
/// A complete file that would retire more than the allowed share of its dataset's records: nothing was written. Usually
/// a truncated or broken publication; a person decides (<c>source sync NAME --accept-retirements</c>).
/// </summary>
public sealed class RetirementRefusedException(FileReport file, int retiring, int active, double share)
    : Exception(string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"{Path.GetFileName(file.File)} would retire {retiring} of the {active} records of {file.Dataset} "
        + $"({(double)retiring / active:P0}), "
        + $"more than the {share:P0} allowed: nothing was changed. Check the file; apply it anyway with --accept-retirements."))
{
    public FileReport File { get; } = file;
    public int Retiring { get; } = retiring;
    public int Active { get; } = active;
}
