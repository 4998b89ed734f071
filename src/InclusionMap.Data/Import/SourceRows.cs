using System.Globalization;
using System.Text;
using System.Text.Json;
using InclusionMap.Core;

namespace InclusionMap.Data.Import;

/// <summary>Reads CSV and JSON-array files into <see cref="SourceRow"/>s.</summary>
public static class SourceRows
{
    /// <summary>
    /// CSV rows, read as strict UTF-8; row numbers are the physical line of the record (the header is line 1). Every
    /// record, the header included, is capped at <see cref="Csv.MaxRecordBytes"/>; a value holding a NUL character
    /// refuses the file (PostgreSQL text cannot hold one).
    /// </summary>
    public static IEnumerable<SourceRow> ReadCsv(string path)
    {
        using var reader = new StreamReader(path, ImportFormats.StrictUtf8, detectEncodingFromByteOrderMarks: false);
        var firstLine = FirstLine(path, reader);
        var separator = Csv.DetectSeparator(firstLine);
        var header = Csv.Read(new StringReader(firstLine), separator).First().Fields.Select(h => h.Trim().TrimStart('\uFEFF')).ToArray();
        foreach (var (line, fields) in Guarded(path, Csv.Read(reader, separator)))
        {
            var row = new Dictionary<string, string?>(StringComparer.Ordinal);
            for (var i = 0; i < header.Length; i++) row[header[i]] = i < fields.Length ? fields[i] : null;
            if (fields.Length > header.Length) row["__extra_columns"] = string.Join(separator, fields.Skip(header.Length));
            if (row.Values.Any(HoldsNul)) throw Nul(path, line + 1);
            yield return new SourceRow(line + 1, row, JsonSerializer.Serialize(row, CatalogueDbContext.JsonOptions));
        }
    }

    /// <summary>
    /// The header line, at most <see cref="Csv.MaxRecordBytes"/> characters (a file of one endless line is refused, not
    /// read whole).
    /// </summary>
    private static string FirstLine(string path, StreamReader reader)
    {
        var line = new StringBuilder();
        try
        {
            for (var c = reader.Read(); c is not (-1 or '\n'); c = reader.Read())
            {
                if (line.Length >= Csv.MaxRecordBytes)
                    throw new ImportException(
                        $"{Path.GetFileName(path)}: the header line is longer than {Csv.MaxRecordBytes / 1024} KiB; nothing was imported.");
                line.Append((char)c);
            }
        }
        catch (DecoderFallbackException e)
        {
            throw NotUtf8(path, 1, e);
        }
        if (line.Length == 0) throw new ImportException($"{Path.GetFileName(path)} is empty.");
        return line.ToString().TrimEnd('\r');
    }

    /// <summary>
    /// The records, with a file that is not readable CSV or UTF-8 reported as an <see cref="ImportException"/> naming it.
    /// </summary>
    private static IEnumerable<(int Line, string[] Fields)> Guarded(string path, IEnumerable<(int Line, string[] Fields)> records)
    {
        using var e = records.GetEnumerator();
        var last = 1;
        while (true)
        {
            try
            {
                if (!e.MoveNext()) yield break;
            }
            catch (InvalidDataException x)
            {
                throw new ImportException($"{Path.GetFileName(path)}: not readable as CSV ({x.Message}); nothing was imported.", x);
            }
            catch (DecoderFallbackException x)
            {
                throw NotUtf8(path, last + 1, x);
            }
            last = e.Current.Line + 1;
            yield return e.Current;
        }
    }

    private static ImportException NotUtf8(string path, int line, DecoderFallbackException e) =>
        new($"{Path.GetFileName(path)} is not UTF-8 text (after line {line}): save it as UTF-8; nothing was imported.", e);

    private static bool HoldsNul(string? value) => value?.Contains('\0', StringComparison.Ordinal) == true;

    /// <summary>PostgreSQL text and jsonb cannot hold a NUL character: a file carrying one is refused, naming the row.</summary>
    private static ImportException Nul(string path, int row) =>
        new($"{Path.GetFileName(path)}: row {row} holds a NUL character, which no text field may hold; nothing was imported.");

    /// <summary>Objects of a JSON array; row numbers count from 1. Arrays are joined with '|', numbers kept as written.</summary>
    public static IEnumerable<SourceRow> ReadJson(string path)
    {
        using var stream = File.OpenRead(path);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(stream, new JsonDocumentOptions { AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new ImportException($"{Path.GetFileName(path)} is not valid JSON: {e.Message}", e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("data", out var data)) root = data;
            if (root.ValueKind != JsonValueKind.Array)
                throw new ImportException($"{Path.GetFileName(path)}: expected a JSON array of objects.");
            var number = 0;
            foreach (var element in root.EnumerateArray())
            {
                number++;
                var row = new Dictionary<string, string?>(StringComparer.Ordinal);
                if (element.ValueKind == JsonValueKind.Object)
                    foreach (var property in element.EnumerateObject()) row[property.Name] = Text(property.Value);
                var raw = element.GetRawText();
                if (row.Keys.Any(HoldsNul) || row.Values.Any(HoldsNul) || raw.Contains(@"\u0000", StringComparison.OrdinalIgnoreCase))
                    throw Nul(path, number);
                yield return new SourceRow(number, row, raw);
            }
        }
    }

    private static string? Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Array => string.Join('|', value.EnumerateArray().Select(Text).Where(v => !string.IsNullOrWhiteSpace(v))),
        JsonValueKind.Object => value.GetRawText(),
        _ => null,
    };

    internal static string Invariant(double value) => value.ToString(CultureInfo.InvariantCulture);
}
