using System.Text;

namespace InclusionMap.Core;

/// <summary>
/// RFC 4180 CSV: quoted fields may hold separators, quotes ("") and line breaks. The reader streams records and
/// reports the physical line where each record starts, so import reports can point at the row.
/// </summary>
public static class Csv
{
    /// <summary>Reads records; the first one is normally the header. Yields (line number of the record's first line, fields).</summary>
    public static IEnumerable<(int Line, string[] Fields)> Read(TextReader reader, char separator = ',')
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var inQuotes = false;
        var line = 1;
        var recordLine = 1;
        var any = false;
        int c;
        while ((c = reader.Read()) != -1)
        {
            var ch = (char)c;
            any = true;
            if (inQuotes)
            {
                if (ch == '"')
                {
                    if (reader.Peek() == '"') { field.Append('"'); reader.Read(); }
                    else inQuotes = false;
                }
                else
                {
                    if (ch == '\n') line++;
                    field.Append(ch);
                }
                continue;
            }
            if (ch == '"') inQuotes = true;
            else if (ch == separator) { fields.Add(field.ToString()); field.Clear(); }
            else if (ch == '\r') { }
            else if (ch == '\n')
            {
                fields.Add(field.ToString()); field.Clear();
                if (!(fields.Count == 1 && fields[0].Length == 0)) yield return (recordLine, fields.ToArray());
                fields.Clear();
                line++;
                recordLine = line;
                any = false;
            }
            else field.Append(ch);
        }
        if (any)
        {
            fields.Add(field.ToString());
            if (!(fields.Count == 1 && fields[0].Length == 0)) yield return (recordLine, fields.ToArray());
        }
    }

    /// <summary>Guesses the separator of a header line: the most frequent of ',', ';', tab outside quotes.</summary>
    public static char DetectSeparator(string headerLine)
    {
        int comma = 0, semicolon = 0, tab = 0;
        var inQuotes = false;
        foreach (var ch in headerLine)
        {
            if (ch == '"') inQuotes = !inQuotes;
            else if (!inQuotes && ch == ',') comma++;
            else if (!inQuotes && ch == ';') semicolon++;
            else if (!inQuotes && ch == '\t') tab++;
        }
        return semicolon > comma && semicolon >= tab ? ';' : tab > comma ? '\t' : ',';
    }

    /// <summary>Quotes a field when needed (separator, quote, line break, leading/trailing space).</summary>
    public static string Escape(string? value, char separator = ',')
    {
        if (string.IsNullOrEmpty(value)) return "";
        var needs = value.IndexOfAny([separator, '"', '\n', '\r']) >= 0 || value[0] == ' ' || value[^1] == ' ';
        return needs ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    public static void WriteRow(TextWriter writer, IEnumerable<string?> values, char separator = ',')
    {
        var first = true;
        foreach (var v in values)
        {
            if (!first) writer.Write(separator);
            writer.Write(Escape(v, separator));
            first = false;
        }
        writer.Write("\r\n");
    }
}
