using InclusionMap.Client.Generator;

// dotnet run --project tools/InclusionMap.Client.Generator [-- --check] [--root DIR]
// Writes src/InclusionMap.Client/Generated from docs/schema.graphql; with --check only says whether it is up to date.
var check = args.Contains("--check");
var rootIndex = Array.IndexOf(args, "--root");
var root = rootIndex >= 0 && rootIndex + 1 < args.Length
    ? args[rootIndex + 1]
    : GeneratedFiles.FindRepositoryRoot(Environment.CurrentDirectory);
var stale = GeneratedFiles.Stale(root);
if (check)
{
    foreach (var file in stale) Console.WriteLine($"stale: {file}");
    return stale.Count == 0 ? 0 : 1;
}
GeneratedFiles.Write(root);
Console.WriteLine(stale.Count == 0 ? "The client was up to date." : $"Rewrote {stale.Count} file(s): {string.Join(", ", stale)}");
return 0;
