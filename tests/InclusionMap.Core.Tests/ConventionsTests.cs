// Microsoft.CodeAnalysis.CSharp is not referenced by any project, so declarations are found by a scanner that blanks
// comments, strings and character literals first, then reads only the lines at namespace level.
using System.Text;
using System.Text.RegularExpressions;

namespace InclusionMap.Core.Tests;

/// <summary>
/// The house rules of docs/architecture.md that a machine can check on every C# file of src/, tests/, bench/ and
/// tools/ (generated code and build output aside): lines within 140 characters, one public top-level type per file,
/// and the file named after it.
/// </summary>
public sealed partial class ConventionsTests
{
    public const int MaxLineLength = 140;

    /// <summary>
    /// The folders the rules cover, and the folder names skipped anywhere below them: build output, packages and
    /// generated code (the .NET client's <c>Generated</c>, EF Core's <c>Migrations</c>, which are written by
    /// <c>dotnet ef migrations add</c> and never edited by hand).
    /// </summary>
    private static readonly string[] Roots = ["src", "tests", "bench", "tools"];
    private static readonly string[] SkippedFolders = ["obj", "bin", "Generated", "Migrations", "node_modules"];

    [Fact]
    public void Lines_are_within_140_characters()
    {
        var offenders = new List<string>();
        foreach (var file in SourceFiles("*.cs", "*.razor"))
        {
            var lines = File.ReadAllLines(file.FullPath);
            for (var i = 0; i < lines.Length; i++)
            {
                // Columns as an editor counts them: one per Unicode scalar value (é, ×, → count one).
                var length = lines[i].EnumerateRunes().Count();
                if (length > MaxLineLength) offenders.Add($"{file.RelativePath}:{i + 1} ({length} characters)");
            }
        }
        Assert.True(offenders.Count == 0,
            $"{offenders.Count} lines longer than {MaxLineLength} characters (wrap them as the code base does):\n"
            + string.Join('\n', offenders));
    }

    [Fact]
    public void A_file_declares_one_public_top_level_type_named_like_the_file()
    {
        var offenders = new List<string>();
        foreach (var file in SourceFiles("*.cs"))
        {
            // A generic type and its non-generic companion of the same name (Vocabulary<T> and Vocabulary) are one name.
            var names = PublicTopLevelTypes(File.ReadAllText(file.FullPath)).Distinct(StringComparer.Ordinal).ToList();
            if (names.Count > 1)
                offenders.Add($"{file.RelativePath}: {names.Count} public types ({string.Join(", ", names)}): one file each");
            else if (names.Count == 1 && names[0] != ExpectedTypeName(file.FullPath))
                offenders.Add($"{file.RelativePath}: declares {names[0]}: the file should be {names[0]}.cs");
        }
        Assert.True(offenders.Count == 0, $"{offenders.Count} files break « one public type per file, named after it »:\n"
            + string.Join('\n', offenders));
    }

    [Theory]
    [InlineData("namespace A;\npublic sealed record One(int X);\n\npublic enum Two { A, B }\n", "One,Two")]
    [InlineData("namespace A\n{\n    public class One\n    {\n        public class Nested { }\n    }\n}\n", "One")]
    [InlineData("namespace A {\n    public partial class One : Base { }\n    public class Two { }\n}\n", "One,Two")]
    [InlineData("namespace A;\n[Attr(\"x\")]\npublic static partial class One\n{\n    public record Nested;\n}\n", "One")]
    [InlineData("namespace A;\ninternal sealed class Hidden { }\nfile class Local { }\npublic readonly record struct Shown(int X);\n",
        "Shown")]
    [InlineData("namespace A;\npublic static class One\n{\n    const string S = \"}\\\"{ public class Fake\";\n    const char C = '{';\n"
        + "    // public class AlsoFake\n    /* } */\n}\n", "One")]
    [InlineData("namespace A;\npublic class One\n{\n    string S = $\"\"\"\n        {X} public class Fake { }\n        \"\"\";\n}\n"
        + "public delegate void Two(int x);\n", "One,Two")]
    [InlineData("namespace A;\npublic sealed class Box<T> where T : struct { }\npublic static class Box { }\n", "Box,Box")]
    public void The_scanner_finds_public_top_level_types_and_nothing_in_bodies_comments_or_strings(string source, string expected) =>
        Assert.Equal(expected.Split(','), PublicTopLevelTypes(source));

    private sealed record SourceFile(string FullPath, string RelativePath);

    private static IEnumerable<SourceFile> SourceFiles(params string[] patterns)
    {
        var root = RepositoryRoot();
        return Roots.Select(r => Path.Combine(root, r)).Where(Directory.Exists)
            .SelectMany(dir => patterns.SelectMany(p => Directory.EnumerateFiles(dir, p, SearchOption.AllDirectories)))
            .Select(path => new SourceFile(path, Path.GetRelativePath(root, path).Replace('\\', '/')))
            .Where(f => !f.RelativePath.Split('/').SkipLast(1).Any(SkippedFolders.Contains))
            .OrderBy(f => f.RelativePath, StringComparer.Ordinal);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "InclusionMap.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("InclusionMap.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>The file's name without .cs, .Designer or .g, and without an EF migration's timestamp prefix.</summary>
    private static string ExpectedTypeName(string path)
    {
        var name = Path.GetFileNameWithoutExtension(path);
        foreach (var suffix in new[] { ".Designer", ".g" })
            if (name.EndsWith(suffix, StringComparison.Ordinal)) name = name[..^suffix.Length];
        return MigrationPrefix().Replace(name, "");
    }

    [GeneratedRegex(@"^\d{14}_")]
    private static partial Regex MigrationPrefix();

    /// <summary>A declaration at the start of a line: attributes, modifiers, the kind, then the name.</summary>
    [GeneratedRegex(@"^\s*(?:\[.*\]\s*)*(?<modifiers>(?:(?:public|internal|private|protected|file|static|sealed|abstract|partial"
        + @"|readonly|ref|unsafe|new)\s+)*)(?:class|struct|interface|enum|record(?:\s+class|\s+struct)?|delegate\s+[^(]+?)\s+"
        + @"(?<name>@?[A-Za-z_][A-Za-z0-9_]*)\s*(?:<|\(|:|\{|;|where\b|$)")]
    private static partial Regex Declaration();

    [GeneratedRegex(@"^\s*namespace\s+[\w.]+\s*(?<fileScoped>;)?")]
    private static partial Regex NamespaceDeclaration();

    /// <summary>The public types declared at namespace level (or at top level), in order; nested types are not counted.</summary>
    public static List<string> PublicTopLevelTypes(string source)
    {
        var names = new List<string>();
        var depth = 0;
        var namespaceDepth = 0;
        foreach (var line in BlankCommentsAndLiterals(source).Split('\n'))
        {
            if (depth == namespaceDepth)
            {
                if (NamespaceDeclaration().Match(line) is { Success: true } ns)
                {
                    // A block namespace (its brace on this line or the next) holds the top-level types one level down.
                    if (!ns.Groups["fileScoped"].Success) namespaceDepth = depth + 1;
                }
                else if (Declaration().Match(line) is { Success: true } declaration
                    && Regex.IsMatch(declaration.Groups["modifiers"].Value, @"\bpublic\b"))
                {
                    names.Add(declaration.Groups["name"].Value.TrimStart('@'));
                }
            }
            depth += line.Count(c => c == '{') - line.Count(c => c == '}');
        }
        return names;
    }

    /// <summary>
    /// The source with comments, string literals (regular, verbatim, interpolated, raw) and character literals replaced
    /// by spaces, line breaks kept: braces and keywords inside them are not code.
    /// </summary>
    private static string BlankCommentsAndLiterals(string source)
    {
        var text = new StringBuilder(source);
        var i = 0;
        void Blank(int from, int to)
        {
            for (var k = from; k < to && k < text.Length; k++)
                if (text[k] != '\n') text[k] = ' ';
        }
        while (i < source.Length)
        {
            if (source.AsSpan(i).StartsWith("//"))
            {
                var end = source.IndexOf('\n', i);
                end = end < 0 ? source.Length : end;
                Blank(i, end);
                i = end;
            }
            else if (source.AsSpan(i).StartsWith("/*"))
            {
                var end = source.IndexOf("*/", i + 2, StringComparison.Ordinal);
                end = end < 0 ? source.Length : end + 2;
                Blank(i, end);
                i = end;
            }
            else if (source[i] == '\'')
            {
                var end = i + 1;
                while (end < source.Length && source[end] != '\'' && source[end] != '\n')
                    end += source[end] == '\\' ? 2 : 1;
                Blank(i, end + 1);
                i = end + 1;
            }
            else if (StringStart().Match(source, i) is { Success: true } start && start.Index == i
                && (i == 0 || !(char.IsLetterOrDigit(source[i - 1]) || source[i - 1] == '_')))
            {
                var end = StringEnd(source, i + start.Length, start.Groups["quotes"].Value,
                    start.Groups["dollars"].Length, start.Groups["verbatim"].Success);
                Blank(i, end);
                i = end;
            }
            else i++;
        }
        return text.ToString();
    }

    [GeneratedRegex(@"\G(?<dollars>\$*)(?<verbatim>@)?(?:\$*)(?<quotes>""""""+|"")")]
    private static partial Regex StringStart();

    /// <summary>Where a string literal whose opening quotes end at <paramref name="from"/> ends (after its closing quotes).</summary>
    private static int StringEnd(string source, int from, string quotes, int dollars, bool verbatim)
    {
        if (quotes.Length >= 3)
        {
            var close = source.IndexOf(quotes, from, StringComparison.Ordinal);
            return close < 0 ? source.Length : close + quotes.Length;
        }
        var i = from;
        while (i < source.Length)
        {
            var c = source[i];
            if (verbatim && c == '"' && i + 1 < source.Length && source[i + 1] == '"') i += 2;
            else if (c == '"') return i + 1;
            else if (!verbatim && c == '\\') i += 2;
            else if (dollars > 0 && c == '{' && i + 1 < source.Length && source[i + 1] == '{') i += 2;
            else if (dollars > 0 && c == '{') i = HoleEnd(source, i);
            else if (!verbatim && c == '\n') return i;
            else i++;
        }
        return source.Length;
    }

    /// <summary>The index after the interpolation hole opening at <paramref name="open"/> (strings inside it skipped).</summary>
    private static int HoleEnd(string source, int open)
    {
        var depth = 0;
        var i = open;
        while (i < source.Length)
        {
            var c = source[i];
            if (c == '{') depth++;
            else if (c == '}' && --depth == 0) return i + 1;
            else if (StringStart().Match(source, i) is { Success: true } start && start.Index == i)
            {
                i = StringEnd(source, i + start.Length, start.Groups["quotes"].Value, start.Groups["dollars"].Length,
                    start.Groups["verbatim"].Success);
                continue;
            }
            i++;
        }
        return source.Length;
    }
}

// ---- .editorconfig: add to the existing [*.cs] section (and, for the Razor pages, a section of their own):
//
// [*.cs]
// max_line_length = 140
//
// [*.razor]
// max_line_length = 140
