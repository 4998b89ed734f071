using System.Globalization;
using System.Text;

namespace InclusionMap.Core;

/// <summary>
/// The folding applied to searched text, identical on both sides: the database generates <c>search_text</c> with
/// <c>lower(im_unaccent(...))</c> and queries fold the user's term with <see cref="Fold"/>, so "Guéret", "GUERET" and
/// "gueret" all match.
/// </summary>
public static class TextSearch
{
    /// <summary>Lower case, accents removed, ligatures expanded (œ → oe), whitespace collapsed.</summary>
    public static string Fold(string text)
    {
        var decomposed = text.Replace("œ", "oe", StringComparison.Ordinal).Replace("Œ", "OE", StringComparison.Ordinal)
            .Replace("æ", "ae", StringComparison.Ordinal).Replace("Æ", "AE", StringComparison.Ordinal).Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        var space = false;
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue;
            if (char.IsWhiteSpace(c)) { space = sb.Length > 0; continue; }
            if (space) { sb.Append(' '); space = false; }
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }
}
