namespace InclusionMap.Client.Generator;

/// <summary>Where the generator reads and writes: docs/schema.graphql → src/InclusionMap.Client/Generated/*.g.cs.</summary>
public static class GeneratedFiles
{
    public static string SchemaPath(string root) => Path.Combine(root, "docs", "schema.graphql");

    public static string Directory(string root) => Path.Combine(root, "src", "InclusionMap.Client", "Generated");

    /// <summary>What the generator writes from the checked-in schema: file name → content.</summary>
    public static SortedDictionary<string, string> Expected(string root) => ClientGenerator.Generate(File.ReadAllText(SchemaPath(root)));

    /// <summary>The file names that differ from what the generator writes: missing, changed, or left over.</summary>
    public static List<string> Stale(string root)
    {
        var expected = Expected(root);
        var present = System.IO.Directory.Exists(Directory(root))
            ? System.IO.Directory.GetFiles(Directory(root), "*.g.cs")
                .ToDictionary(f => Path.GetFileName(f), f => File.ReadAllText(f).ReplaceLineEndings("\n"))
            : [];
        return expected.Where(e => !present.TryGetValue(e.Key, out var text) || text != e.Value).Select(e => e.Key)
            .Concat(present.Keys.Where(k => !expected.ContainsKey(k))).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Writes every generated file and deletes generated files the schema no longer has.</summary>
    public static void Write(string root)
    {
        var expected = Expected(root);
        System.IO.Directory.CreateDirectory(Directory(root));
        foreach (var file in System.IO.Directory.GetFiles(Directory(root), "*.g.cs"))
            if (!expected.ContainsKey(Path.GetFileName(file))) File.Delete(file);
        foreach (var (name, text) in expected) File.WriteAllText(Path.Combine(Directory(root), name), text);
    }

    public static string FindRepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "InclusionMap.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException($"No InclusionMap.sln above {start}.");
    }
}
