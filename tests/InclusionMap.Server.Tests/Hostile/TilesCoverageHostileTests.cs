using static InclusionMap.Server.Tests.Hostile.HostileRequest;

namespace InclusionMap.Server.Tests.Hostile;

/// <summary>Hostile tile addresses and filters, coverage files and printable maps.</summary>
[Collection(HostileServerCollection.Name)]
public sealed class TilesCoverageHostileTests(HostileServer server)
{
    private static readonly HostileRequest[] Corpus =
    [
        Get("tile zoom of a NUL", "/tiles/sites/%00/0/0.mvt", Answer.RefusedByHttpServer),
        .. new[] { "99", "23", "-1", "-0", "1e308", "NaN", "Infinity", "0x1", "+1", "%201", "%EF%BC%92", "2147483648", "1.5", "", "%FF" }
            .Select(z => Get($"tile zoom '{z}'", $"/tiles/sites/{z}/0/0.mvt")),
        .. new[] { "8", "-1", "4294967296", "1e3", "NaN" }.Select(x => Get($"tile x '{x}' at zoom 3", $"/tiles/sites/3/{x}/0.mvt")),
        .. new[] { "8", "-1", "99999999999999999999", "%C0%B0" }.Select(y => Get($"tile y '{y}' at zoom 3",
            $"/tiles/communes/3/0/{y}.mvt")),
        Get("tile -0/0/0", "/tiles/sites/0/0/-0.mvt"),
        Get("tile of an unknown layer", "/tiles/nope/0/0/0.mvt"),
        Get("tile as PNG", "/tiles/sites/0/0/0.png"),
        Get("tile path with encoded slashes", "/tiles/sites/0/0/..%2F..%2F..%2Fetc%2Fpasswd.mvt"),
        Get("tile path out of /tiles", "/tiles/../../appsettings.json"),
        .. new[] { "%00", "'%3B%20DROP%20TABLE%20communes%3B--", new string('9', 5000), "-0", "%FF", "2%00", "..%2F.." }
            .Select(d => Get($"communes tile département '{(d.Length > 40 ? d[..40] + "…" : d)}'",
                $"/tiles/communes/6/32/22.mvt?departement={d}")),
        Get("communes tile of département 2A", "/tiles/communes/6/32/22.mvt?departement=2A", Answer.Served),
        Get("tile with a 7 KB If-None-Match", "/tiles/sites/0/0/0.mvt", Answer.Served, "If-None-Match: \"" + new string('x', 7000) + "\""),
        Method("POST a tile", "POST", "/tiles/sites/0/0/0.mvt"),
        Method("DELETE a tile", "DELETE", "/tiles/sites/0/0/0.mvt"),

        // Coverage files: the département and every option.
        Get("coverage CSV of département NUL", "/coverage/%00.csv", Answer.RefusedByHttpServer),
        .. new[]
            {
                "%FF", "99", "1234567890", "'%3B%20DROP%20TABLE%20communes%3B--", "..%2F..%2Fetc%2Fpasswd", "-0", "%3Cscript%3E", "%C0%AF",
            }
            .Select(d => Get($"coverage CSV of département '{d}'", $"/coverage/{d}.csv")),
        .. new[] { "1e308", "-0", "NaN", "Infinity", "-Infinity", "-1", "0", "abc", "%00", "1e-400" }
            .Select(m => Get($"coverage CSV within '{m}' metres", $"/coverage/23.csv?maxDistance={m}")),
        Get("coverage CSV within 1e-308 metres", "/coverage/23.csv?maxDistance=1e-308", Answer.Served),
        .. new[] { "-1", "21", "99999999999", "1.5", "NaN", "%00" }.Select(s => Get($"coverage CSV with '{s}' suggestions",
            $"/coverage/23.csv?suggest={s}")),
        Get("coverage CSV of an unknown service", "/coverage/23.csv?services=Nope"),
        Get("coverage CSV of a service with a NUL", "/coverage/23.csv?services=Aide%00"),
        Get("coverage CSV of 3,000 commas", "/coverage/23.csv?services=" + new string(',', 3000), Answer.Served),
        Get("coverage CSV of 300 unknown services", "/coverage/23.csv?services=" + string.Join(",", Enumerable.Repeat("x", 300))),
        .. new[] { "NaN", "99" }.Select(d => Get($"coverage GeoJSON of département '{d}'", $"/coverage/{d}.geojson")),
        Get("coverage GeoJSON within NaN metres", "/coverage/23.geojson?maxDistance=NaN"),
        Get("coverage as XLSX", "/coverage/23.xlsx"),
        Get("coverage without a format", "/coverage/23"),
        Get("coverage out of its folder", "/coverage/../../appsettings.json"),
        Method("POST a coverage file", "POST", "/coverage/23.csv"),

        // Printable maps.
        .. new[] { "%FF", "99", "'%3B--", "..%2F..%2Fetc%2Fpasswd" }.Select(d => Get($"coverage map of département '{d}'",
            $"/maps/coverage/{d}.png")),
        Get("coverage map within NaN metres", "/maps/coverage/23.png?maxDistance=NaN"),
        Get("coverage map with 21 suggestions", "/maps/coverage/23.png?suggest=21"),
        Get("coverage map of an unknown service", "/maps/coverage/23.png?services=%3Cscript%3E"),
        Get("coverage map as SVG", "/maps/coverage/23.svg"),
        Get("coverage map out of its folder", "/maps/coverage/../../../etc/passwd"),
    ];

    public static TheoryData<string> Names => [.. Corpus.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(Names))]
    public Task Answers_with_a_clear_4xx_and_nothing_internal(string name) =>
        server.AssertAnsweredAsync(Corpus.Single(c => c.Name == name));
}
