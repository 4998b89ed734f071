using CsvHelper;

namespace InclusionMap.Core;

/// <summary>
/// CSV as the open-data files and the exports use it (RFC 4180: quoted fields may hold separators, quotes and line
/// breaks), read and written by CsvHelper. Reading reports the physical line where each record starts, so import
/// reports can point at the row, and caps a record's size against hostile files. Writing is exact
/// (<see cref="Exact"/>) for open data, or safe to open in a spreadsheet (<see cref="ForPeople"/>).
/// </summary>
public static class Csv
{
    /// <summary>The largest record a file may hold (an unclosed quote would otherwise read the whole file as one record).</summary>
    public const int MaxRecordBytes = 1024 * 1024;

    /// <summary>Reads records; the first one is normally the header. Yields (line number of the record's first line, fields).</summary>
    /// <param name="reader">The text, read as it comes.</param>
    /// <param name="separator">The separator; null detects it from the first lines (comma, semicolon, tab or pipe).</param>
    /// <exception cref="InvalidDataException">The text is not CSV that can be read (e.g. a record over
    /// <see cref="MaxRecordBytes"/>).</exception>
    public static IEnumerable<(int Line, string[] Fields)> Read(TextReader reader, char? separator = ',')
    {
        using var csv = CsvReader.Create(reader, Options(separator), leaveOpen: true);
        while (true)
        {
            bool more;
            try
            {
                more = csv.Read();
            }
            catch (CsvFormatException e)
            {
                throw new InvalidDataException($"line {csv.LineNumber}: {e.Message}", e);
            }
            if (!more) yield break;
            yield return ((int)csv.LineNumber, csv.Current.ToArray());
        }
    }

    /// <summary>The separator of a header line as CsvHelper detects it (comma, semicolon, tab or pipe).</summary>
    public static char DetectSeparator(string headerLine)
    {
        using var csv = CsvReader.Create(new StringReader(headerLine), Options(null), leaveOpen: false);
        return csv.Separator;
    }

    private static CsvReaderOptions Options(char? separator) => new()
    {
        Separator = separator,
        HasHeader = false,
        TrackLineNumbers = true,
        MaxRecordSize = MaxRecordBytes,
    };

    /// <summary>A writer of exact rows (open data for machines): every cell as it is, quoted only where RFC 4180 needs it.</summary>
    public static CsvWriter Exact(TextWriter writer) => CsvWriter.Create(writer, new CsvWriterOptions(), leaveOpen: true);

    /// <summary>
    /// A writer of files people open in a spreadsheet: a text cell that would start a formula (<c>=</c>, <c>+</c>,
    /// <c>-</c>, <c>@</c>, tab, carriage return) is prefixed with a quote, as OWASP advises against CSV injection.
    /// </summary>
    /// <remarks>The schema-v1 export is data for machines and is never escaped (docs/security.md).</remarks>
    public static CsvWriter ForPeople(TextWriter writer) =>
        CsvWriter.Create(writer, new CsvWriterOptions { Injection = CsvInjection.Escape }, leaveOpen: true);

    /// <summary>Writes one row of text cells and ends it.</summary>
    public static void WriteRow(CsvWriter csv, IEnumerable<string?> values)
    {
        foreach (var value in values) csv.WriteField(value ?? "");
        csv.EndRecord();
    }
}
