using InclusionMap.Bench;
using InclusionMap.Core;

// dotnet run -c Release --project bench/InclusionMap.Bench [-- import]
var scenarios = args.Length == 0 ? ["import"] : args;
var machine = Machine.Describe();
Console.WriteLine($"InclusionMap benchmarks on {machine}");
var data = OpenDataDirectory.Resolve();
var sections = new List<string>();

if (scenarios.Contains("import"))
{
    var rows = await ImportBenchmark.RunAsync(data);
    var table = MarkdownTable.Render(["file / scope", "format", "rows", "time", "throughput"], rows);
    Console.WriteLine(table);
    sections.Add("## Import throughput (whole open-data directory, durable private cluster)\n\n" + table);
}

BenchmarkReport.Write(Path.Combine(RepositoryRoot(), "docs", "benchmarks.md"), machine, sections);

static string RepositoryRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "InclusionMap.sln"))) return dir.FullName;
    return Directory.GetCurrentDirectory();
}
