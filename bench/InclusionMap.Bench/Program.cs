using InclusionMap.Bench;
using InclusionMap.Core;

// bench/run.sh [--quick] [--duration S] [--sizes 25000,250000] [--no-lighthouse] [import] [api]
// (or: dotnet run -c Release --project bench/InclusionMap.Bench -- ...; the API part needs the server built in Release)
var options = BenchOptions.Parse(args);
var scenarios = options.Scenarios;
var machine = Machine.Describe();
Console.WriteLine($"InclusionMap benchmarks on {machine}{(options.Quick ? " (quick mode)" : "")}");
var data = OpenDataDirectory.Resolve();
var root = RepositoryRoot();
var sections = new List<string>();

if (scenarios.Contains("hold"))
{
    // For profiling by hand: the benchmark databases stay up until Ctrl-C (or SIGTERM), then are removed.
    await using var databases = await BenchDatabases.CreateAsync(data, options.Sizes);
    foreach (var d in databases.Databases) Console.WriteLine($"{d.Label}: {databases.ConnectionString(d.Name)}");
    await Task.Delay(Timeout.Infinite);
}

if (scenarios.Contains("api"))
{
    var api = new ApiBenchmark(options, root, data);
    var (table, notes) = await api.RunAsync();
    var targets = api.TargetSummary(api.Columns);
    Console.WriteLine(table);
    foreach (var line in notes.Concat(targets)) Console.WriteLine(line);
    var sizes = options.Sizes.Count == 0 ? "the real catalogue size" : $"{options.Sizes.Count + 1} catalogue sizes";
    sections.Add($"## API, spatial queries and tiles at {sizes}" +
                 (options.Quick ? " (quick mode: short runs, few samples)" : "") + "\n\n" +
                 "The real server (`inclusionmap serve`, Release, a child process, log level Warning) over HTTP on loopback, " +
                 "against a private PostGIS cluster; each query beside the raw SQL floor (the same SQL through Npgsql, same query " +
                 "points). The larger sizes are separate databases of the bench's own, where real sites are copied to random points " +
                 "of their own commune polygon (`ST_GeneratePoints`); the server serves them like any catalogue.\n\n" +
                 table + "\n\n" + string.Join("\n", notes.Select(n => "- " + n)) +
                 "\n\n### Targets\n\n" + string.Join("\n", targets.Select(t => "- " + t)));
}

if (scenarios.Contains("import"))
{
    var rows = await ImportBenchmark.RunAsync(data);
    var table = MarkdownTable.Render(["file / scope", "format", "rows", "time", "throughput"], rows);
    Console.WriteLine(table);
    sections.Add("## Import throughput (whole open-data directory, durable private cluster)\n\n" + table);
}

BenchmarkReport.Write(Path.Combine(root, "docs", "benchmarks.md"), machine, sections);

static string RepositoryRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "InclusionMap.sln"))) return dir.FullName;
    return Directory.GetCurrentDirectory();
}
