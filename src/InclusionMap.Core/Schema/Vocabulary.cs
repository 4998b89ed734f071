using System.Collections.Frozen;
using System.Globalization;
using System.Reflection;
using System.Text;

namespace InclusionMap.Core.Schema;

/// <summary>Conversions between vocabulary enums and their official labels (schema v1.0.2).</summary>
public static class Vocabulary<T> where T : struct, Enum
{
    private static readonly FrozenDictionary<T, string> LabelsByValue = typeof(T)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .ToFrozenDictionary(f => (T)f.GetValue(null)!, f => f.GetCustomAttribute<LabelAttribute>()?.Label ?? f.Name);

    private static readonly FrozenDictionary<string, T> ValuesByLabel =
        LabelsByValue.ToFrozenDictionary(kv => kv.Value, kv => kv.Key, StringComparer.Ordinal);

    // Tolerant lookup for import only: case, accents and typographic quotes differ between producers.
    private static readonly FrozenDictionary<string, T> ValuesByLooseLabel =
        LabelsByValue.ToFrozenDictionary(kv => Loose(kv.Value), kv => kv.Key, StringComparer.Ordinal);

    public static IReadOnlyCollection<T> Values => LabelsByValue.Keys;

    public static string Label(T value) => LabelsByValue[value];

    /// <summary>Exact match on the official label.</summary>
    public static bool TryParse(string label, out T value) => ValuesByLabel.TryGetValue(label, out value);

    /// <summary>Match ignoring case, accents, spaces and quote style: used when normalising imported values.</summary>
    public static bool TryParseLoose(string label, out T value) => ValuesByLooseLabel.TryGetValue(Loose(label), out value);

    internal static string Loose(string s)
    {
        var decomposed = s.Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue;
            if (char.IsLetterOrDigit(c)) sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }
}
