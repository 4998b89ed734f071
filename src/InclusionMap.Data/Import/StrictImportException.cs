namespace InclusionMap.Data.Import;

/// <summary>Strict mode found rejected rows: nothing was written. The report says which.</summary>
public sealed class StrictImportException(ImportReport report)
    : Exception($"--strict: {report.Rejected} row(s) rejected, nothing imported. {report.Summary}")
{
    public ImportReport Report { get; } = report;
}
