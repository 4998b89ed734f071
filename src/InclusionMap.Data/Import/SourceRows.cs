using System.Globalization;
using System.Text;
using System.Text.Json;
using InclusionMap.Core;

namespace InclusionMap.Data.Import;

/// <summary>One row of a source file as read: field name → text, plus the row exactly as it was, as JSON.</summary>
public sealed record SourceRow(int RowNumber, IReadOnlyDictionary<string, string?> Fields, string RawJson)
{
    public string? this[string field] => Fields.TryGetValue(field, out var v) ? v : null;
}

/// <summary>Reads CSV and JSON-array files into <see cref="SourceRow"/>s.</summary>
public static class SourceRows
{
    /// <summary>CSV rows; row numbers are the physical line of the record (the header is line 1).</summary>
    public static IEnumerable<SourceRow> ReadCsv(string path)
    {
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var firstLine = reader.ReadLine() ?? throw new ImportException($"{Path.GetFileName(path)} is empty.");
        var separator = Csv.DetectSeparator(firstLine);
        var header = Csv.Read(new StringReader(firstLine), separator).First().Fields.Select(h => h.Trim().TrimStart('\uFEFF')).ToArray();
        foreach (var (line, fields) in Guarded(path, Csv.Read(reader, separator)))
        {
            var row = new Dictionary<string, string?>(StringComparer.Ordinal);
            for (var i = 0; i < header.Length; i++) row[header[i]] = i < fields.Length ? fields[i] : null;
            if (fields.Length > header.Length) row["__extra_columns"] = string.Join(separator, fields.Skip(header.Length));
            yield return new SourceRow(line + 1, row, JsonSerializer.Serialize(row, CatalogueDbContext.JsonOptions));
        }
    }

    /// <summary>The records, with a file that is not readable CSV reported as an <see cref="ImportException"/> naming it.</summary>
    private static IEnumerable<(int Line, string[] Fields)> Guarded(string path, IEnumerable<(int Line, string[] Fields)> records)
    {
        using var e = records.GetEnumerator();
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
            yield return e.Current;
        }
    }

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
            if (root.ValueKind != JsonValueKind.Array) throw new ImportException($"{Path.GetFileName(path)}: expected a JSON array of objects.");
            var number = 0;
            foreach (var element in root.EnumerateArray())
            {
                number++;
                var row = new Dictionary<string, string?>(StringComparer.Ordinal);
                if (element.ValueKind == JsonValueKind.Object)
                    foreach (var property in element.EnumerateObject()) row[property.Name] = Text(property.Value);
                yield return new SourceRow(number, row, element.GetRawText());
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
