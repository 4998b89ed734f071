using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using InclusionMap.Testing;

namespace InclusionMap.Server.Tests.Hostile;

/// <summary>
/// Hostile files given to the import verb, the real executable against a copy of the real catalogue: each is refused
/// as a whole, with one line on stderr (<c>import: reason</c>, no stack trace, no exception or type name, no SQL), a
/// report saying it was not committed and why, exit code 1, within a minute (a pipe must not hang it), and the
/// catalogue's counts unchanged.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed partial class ImportHostileTests(SeededCatalogue catalogue) : IClassFixture<SeededCatalogue>, IDisposable
{
    private sealed record HostileFile(string Name, Func<string, string> Create, params string[] Options);

    private const string V1Header = "id,pivot,nom,commune,code_postal,adresse,date_maj,latitude,longitude";
    private const string V1Row = "a,12345678901234,Lieu A,Guéret,23000,1 rue A,2024-04-02,46.17,1.87";
    private const string V1Json = """
        "pivot":"12345678901234","commune":"Guéret","code_postal":"23000","adresse":"1 rue A",
        "date_maj":"2024-04-02","frais_a_charge":"Gratuit"
        """;
    private const string Guéret = """{"code":"23096","nom":"Guéret","departement":"23"}""";
    private const string Square = """{"type":"Polygon","coordinates":[[[1.8,46.1],[1.9,46.1],[1.9,46.2],[1.8,46.1]]]}""";
    private const string Unclosed = """{"type":"Polygon","coordinates":[[[1.8,46.1],[1.9,46.1],[1.9,46.2],[1.8,46.2]]]}""";

    private static readonly HostileFile[] Corpus =
    [
        new("binary garbage named .csv", dir => Write(dir, "lieux.csv", Random(65_536, 0, 256))),
        new("binary garbage without a NUL byte", dir => Write(dir, "lieux.csv", Random(65_536, 0x80, 256))),
        new("a PNG named lieux.csv", dir => Write(dir, "lieux.csv",
            [0x89, .. "PNG\r\n"u8, 0x1A, 0x0A, 0, 0, 0, 13, .. "IHDR"u8, .. Random(1000, 0, 256)])),
        new("a JSON bomb of 100,000 nested arrays", dir => Write(dir, "lieux.json", new string('[', 100_000) + new string(']', 100_000))),
        new("a JSON bomb inside a FeatureCollection", dir => Write(dir, "communes.geojson",
            """{"type":"FeatureCollection","features":""" + new string('[', 100_000) + new string(']', 100_000) + "}")),
        new("JSON cut short", dir => Write(dir, "lieux.json", """[{"id":"a","pivot":"12345678901234","nom":"Lieu""")),
        new("a JSON array of numbers", dir => Write(dir, "lieux.json", "[1,2,3]")),
        new("a JSON value with an escaped NUL", dir => Write(dir, "lieux.json", $$"""[{"id":"a","nom":"Lieu\u0000A",{{V1Json}}}]""")),
        new("a JSON nested object with an escaped NUL", dir => Write(dir, "lieux.json",
            $$$"""[{"id":"a","nom":"Lieu A",{{{V1Json}}},"x":{"y":"\u0000"}}]""")),
        new("a CSV with an unclosed quote", dir => Write(dir, "lieux.csv",
            V1Header + "\n" + "a,12345678901234,\"Lieu A,Guéret,23000,1 rue A,2024-04-02,46.17,1.87\n"
                + string.Concat(Enumerable.Repeat(V1Row + "\n", 40_000)))),
        new("a CSV with a 5 MB line", dir => Write(dir, "lieux.csv",
            V1Header + "\n" + V1Row + "\n" + "b,12345678901234," + new string('x', 5_000_000) + ",Guéret\n")),
        new("a CSV whose header is 3 MB", dir => Write(dir, "lieux.csv",
            "pivot,nom," + string.Join(",", Enumerable.Range(0, 400_000).Select(i => $"c{i}")) + "\n" + V1Row + "\n")),
        new("2 MB without a newline", dir => Write(dir, "lieux.csv", "pivot,nom" + new string('a', 2_000_000))),
        new("a CSV in Latin-1", dir => Write(dir, "lieux.csv", Encoding.Latin1.GetBytes(V1Header + "\n" + V1Row + "\n"))),
        new("a CSV in UTF-16 with a BOM", dir => Write(dir, "lieux.csv",
            [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(V1Header + "\n" + V1Row + "\n")])),
        new("a CSV in UTF-16 without a BOM", dir => Write(dir, "lieux.csv",
            Encoding.BigEndianUnicode.GetBytes(V1Header + "\n" + V1Row + "\n"))),
        new("a CSV with a NUL byte in a value", dir => Write(dir, "lieux.csv",
            V1Header + "\n" + V1Row.Replace("Lieu A", "Lieu\0A", StringComparison.Ordinal) + "\n")),
        new("an empty file", dir => Write(dir, "lieux.csv", [])),
        new("a file of only a byte-order mark", dir => Write(dir, "lieux.csv", [0xEF, 0xBB, 0xBF])),
        new("a directory", dir => Directory.CreateDirectory(Path.Combine(dir, "lieux.csv")).FullName),
        new("a FIFO", dir => Fifo(dir, "lieux.csv")),
        new("a FIFO with a format given", dir => Fifo(dir, "lieux.csv"), "--format", "schema-v1-csv"),
        new("a character device", _ => "/dev/zero"),
        new("a symbolic link to a system file", dir => File.CreateSymbolicLink(Path.Combine(dir, "lieux.csv"), "/etc/shadow").FullName),
        new("GeoJSON communes with an unclosed ring", dir => Communes(dir, Guéret, Unclosed)),
        new("GeoJSON communes with a ring of two points", dir => Communes(dir, Guéret,
            """{"type":"Polygon","coordinates":[[[1.8,46.1],[1.8,46.1]]]}""")),
        new("GeoJSON communes with coordinates of 1000", dir => Communes(dir, Guéret,
            """{"type":"Polygon","coordinates":[[[1000,4600],[1001,4600],[1001,4601],[1000,4600]]]}""")),
        new("GeoJSON communes whose polygon has no area", dir => Communes(dir, Guéret,
            """{"type":"Polygon","coordinates":[[[1,46],[2,47],[3,48],[1,46]]]}""")),
        new("GeoJSON communes of points", dir => Communes(dir, Guéret, """{"type":"Point","coordinates":[1.87,46.17]}""")),
        new("GeoJSON communes without a geometry", dir => Communes(dir, Guéret, "null")),
        new("GeoJSON communes without codes", dir => Communes(dir, """{"departement":"23","nom":"x"}""", Square)),
        new("GeoJSON whose features are a string", dir => Write(dir, "communes.geojson",
            """{"type":"FeatureCollection","features":"x"}""")),
        new("GeoJSON with NaN coordinates", dir => Communes(dir, Guéret,
            """{"type":"Polygon","coordinates":[[[NaN,46.1],[1.9,46.1],[1.9,46.2],[NaN,46.1]]]}""")),
        new("GeoJSON départements with an unclosed ring", dir => Write(dir, "departements.geojson",
            Collection("""{"insee_dep":"23","lib_dep":"Creuse"}""", Unclosed))),
        new("a CSV given as communes GeoJSON", dir => Write(dir, "lieux.csv", V1Header + "\n" + V1Row + "\n"),
            "--format", "communes-geojson"),
    ];

    private readonly string _directory = Directory.CreateTempSubdirectory("inclusionmap-hostile-import-").FullName;

    public static TheoryData<string> Names => [.. Corpus.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Is_refused_with_a_report_and_writes_nothing(string name)
    {
        var hostile = Corpus.Single(c => c.Name == name);
        var caseDirectory = Directory.CreateDirectory(Path.Combine(_directory, Guid.NewGuid().ToString("N")[..8])).FullName;
        var path = hostile.Create(caseDirectory);
        var report = Path.Combine(caseDirectory, "report.json");
        var before = await CountsAsync();

        var watch = Stopwatch.StartNew();
        var (code, _, stderr) = await InclusionMapProcess.RunAsync(catalogue.OwnerConnectionString, new Dictionary<string, string>(),
            ["import", path, "--report", report, .. hostile.Options], KillAfterAMinuteAsync);
        var shown = $"{name} → exit {code} in {watch.Elapsed.TotalSeconds:0.0} s: {stderr}";

        Assert.True(code == 1, shown);
        var reason = stderr.TrimEnd().Split('\n')[^1];
        Assert.True(reason.StartsWith("import: ", StringComparison.Ordinal) && reason.Length > 20, shown);
        foreach (Match leak in Internals().Matches(stderr)) Assert.Fail($"'{leak.Value}' leaked: {shown}");
        using (var json = JsonDocument.Parse(await File.ReadAllTextAsync(report)))
        {
            Assert.False(json.RootElement.GetProperty("committed").GetBoolean(), shown);
            Assert.Equal(reason["import: ".Length..], json.RootElement.GetProperty("error").GetString());
        }
        Assert.Equal(before, await CountsAsync());
    }

    /// <summary>What any run would change: places, their sources, territories, codes and the runs themselves.</summary>
    private Task<string> CountsAsync() => catalogue.ScalarAsync<string>("""
        SELECT concat_ws(',', (SELECT count(*) FROM sites), (SELECT count(*) FROM site_sources), (SELECT count(*) FROM communes),
               (SELECT count(*) FROM departements), (SELECT count(*) FROM regions), (SELECT count(*) FROM commune_codes),
               (SELECT count(*) FROM import_runs),
               (SELECT md5(string_agg(code || coalesce(ST_AsBinary(geometry)::text, ''), ',' ORDER BY code))
                  FROM communes WHERE departement_code = '23'))
        """);

    /// <summary>An import that hangs (on a pipe, say) fails the case instead of the whole run.</summary>
    private static async Task KillAfterAMinuteAsync(Process process)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
        }
    }

    [GeneratedRegex(@"   at |\w+Exception\b|Npgsql|ERROR:|\bSELECT\b|System\.\w|Microsoft\.\w|NetTopologySuite|\.cs:line")]
    private static partial Regex Internals();

    private static string Write(string directory, string name, string text) => Write(directory, name, Encoding.UTF8.GetBytes(text));

    /// <summary>A GeoJSON FeatureCollection of one feature, as text.</summary>
    private static string Collection(string properties, string geometry) =>
        $$"""{"type":"FeatureCollection","features":[{"type":"Feature","properties":{{properties}},"geometry":{{geometry}}}]}""";

    private static string Communes(string directory, string properties, string geometry) =>
        Write(directory, "communes.geojson", Collection(properties, geometry));

    private static string Write(string directory, string name, byte[] bytes)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Bytes from a fixed seed, each in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    private static byte[] Random(int length, int from, int to)
    {
        var random = new Random(length + from);
        return [.. Enumerable.Range(0, length).Select(_ => (byte)random.Next(from, to))];
    }

    private static string Fifo(string directory, string name)
    {
        var path = Path.Combine(directory, name);
        if (MkFifo(path, Convert.ToUInt32("600", 8)) != 0) throw new IOException($"mkfifo {path} failed: {Marshal.GetLastWin32Error()}");
        return path;
    }

    [DllImport("libc", EntryPoint = "mkfifo", SetLastError = true)]
    private static extern int MkFifo(string path, uint mode);

    public void Dispose()
    {
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
