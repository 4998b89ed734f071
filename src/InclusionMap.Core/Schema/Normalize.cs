using System.Text.RegularExpressions;

namespace InclusionMap.Core.Schema;

/// <summary>
/// Normalisations applied to imported values before validation. Each one only rewrites what has a single
/// unambiguous reading (spacing, separators, national phone format); anything else is left for the validator to report.
/// </summary>
public static partial class Normalize
{
    /// <summary>Collapses runs of whitespace (including newlines and non-breaking spaces) and trims.</summary>
    public static string? Text(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        return Whitespace().Replace(value, " ").Trim();
    }

    /// <summary>
    /// Restores the leading zero a spreadsheet or a numeric column dropped (<c>1100</c> → <c>01100</c>), but only when the
    /// row's INSEE code confirms the département: <c>2300</c> with code 23096 is a truncated 23000, not 02300, and is left for
    /// the validator.
    /// </summary>
    public static string? PostalCode(string? value, string? inseeCode = null)
    {
        var v = Text(value)?.Replace(" ", "", StringComparison.Ordinal);
        if (v is null) return null;
        var insee = InseeCode(inseeCode);
        return v.Length == 4 && v.All(char.IsAsciiDigit) && insee is { Length: 5 } && insee.StartsWith("0" + v[0], StringComparison.Ordinal)
            ? "0" + v
            : v;
    }

    /// <summary>Pads an INSEE commune code that lost its leading zero; upper-cases Corsican 2a/2b.</summary>
    public static string? InseeCode(string? value)
    {
        var v = Text(value)?.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        if (v is null) return null;
        return v.Length == 4 && v.All(char.IsAsciiDigit) ? "0" + v : v;
    }

    /// <summary>
    /// French phone numbers to the schema's E.164-like form (<c>+33…</c>, overseas prefixes by their national trunk).
    /// Returns the input unchanged (trimmed) when no unambiguous reading exists; the validator then reports it.
    /// When several numbers are given, the first one is kept and <paramref name="dropped"/> holds the others.
    /// </summary>
    public static string? Phone(string? value, string? departementCode, out string? dropped)
    {
        dropped = null;
        var text = Text(value);
        if (text is null) return null;
        var parts = PhoneSeparators().Split(text).Select(p => p.Trim()).Where(p => p.Length > 0).ToList();
        if (parts.Count > 1 && parts.All(p => Digits(p).Length >= 6))
        {
            dropped = string.Join(" / ", parts.Skip(1));
            text = parts[0];
        }
        var digits = Digits(text);
        if (text.TrimStart().StartsWith('+')) digits = "+" + digits;
        else if (digits.StartsWith("00", StringComparison.Ordinal)) digits = "+" + digits[2..];
        // "+33 (0)1 23 45 67 89": the trunk zero in brackets is not dialled.
        digits = digits.Replace("+330", "+33", StringComparison.Ordinal);

        if (digits.StartsWith('+')) return digits;
        if (digits.Length == 10 && digits[0] == '0') return OverseasOrMainland(digits);
        // Pacific and Saint-Pierre numbers have no trunk zero: their length and département tell them apart.
        return departementCode switch
        {
            "988" when digits.Length == 6 => "+687" + digits,
            "987" when digits.Length is 6 or 8 => "+689" + digits,
            "986" when digits.Length == 6 => "+681" + digits,
            "975" when digits.Length == 6 => "+508" + digits,
            _ => text,
        };
    }

    private static string OverseasOrMainland(string tenDigits)
    {
        var national = tenDigits[1..];
        var prefix = tenDigits[..4] switch
        {
            "0590" or "0690" or "0691" => "+590",
            "0594" or "0694" => "+594",
            "0262" or "0263" or "0692" or "0693" => "+262",
            "0596" or "0696" or "0697" => "+596",
            "0269" or "0639" => "+262", // Mayotte has used +262 since 2007
            _ => "+33",
        };
        // International form: country code, then the national number without its trunk zero (0590 12… → +590 590 12…).
        return prefix + national;
    }

    /// <summary>Splits a multi-valued field written with '|', ';' or (for URLs and e-mails) ',' or spaces.</summary>
    public static IEnumerable<string> Split(string? value, params char[] separators)
    {
        if (string.IsNullOrWhiteSpace(value)) return [];
        var seps = separators.Length == 0 ? ['|', ';'] : separators;
        return value.Split(seps, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(v => Text(v)!).Where(v => v is not null);
    }

    /// <summary>
    /// The addresses written in a link field, trimmed, none judged yet (<see cref="SchemaV1Validator.LinkProblem"/> does):
    /// the whole value for a <see cref="SchemaFieldKind.Link"/> field; for <see cref="SchemaFieldKind.Links"/>, the
    /// values between '|', ';' and whitespace of any kind (a URL never contains a raw space or line break).
    /// </summary>
    public static IEnumerable<string> Links(string? value, SchemaField field)
    {
        if (string.IsNullOrWhiteSpace(value)) return [];
        if (field.Kind == SchemaFieldKind.Link) return [value.Trim()];
        if (field.Kind != SchemaFieldKind.Links) throw new ArgumentException($"{field.Name} is not a link field.", nameof(field));
        return LinkSeparators().Split(value).Where(v => v.Length > 0);
    }

    /// <summary>Adds the scheme to a web address written without one (<c>www.example.fr</c> → <c>https://www.example.fr</c>).</summary>
    public static string Link(string value) =>
        value.StartsWith("www.", StringComparison.OrdinalIgnoreCase) ? "https://" + value : value;

    private static string Digits(string s) => new(s.Where(char.IsAsciiDigit).ToArray());

    [GeneratedRegex(@"[\s\u00A0\u202F]+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"[|;\s]+")]
    private static partial Regex LinkSeparators();

    [GeneratedRegex(@"\s*(?:/|;|\||\bou\b|\bet\b)\s*")]
    private static partial Regex PhoneSeparators();
}
