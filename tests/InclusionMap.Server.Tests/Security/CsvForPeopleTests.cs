using InclusionMap.Core;
using InclusionMap.Data.Analysis;
using InclusionMap.Server.Coverage;
using InclusionMap.Testing;

namespace InclusionMap.Server.Tests.Security;

/// <summary>
/// The coordinators' CSV files are opened in spreadsheets: a name that starts a formula is neutralised there, while the
/// schema-v1 open-data export, data for machines, keeps every value exactly.
/// </summary>
public sealed class CsvForPeopleTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private const string CommuneName = "=HYPERLINK(\"https://evil.example\",\"Guéret\")";

    private static List<string[]> Read(string csv) => Csv.Read(new StringReader(csv.TrimStart('\uFEFF'))).Select(r => r.Fields).ToList();

    [Fact]
    public void Text_cells_that_start_a_formula_get_a_quote_and_numbers_stay_numbers()
    {
        string[] names = ["=1+1", "+33 5 55 51 00 00", "-2", "@SUM(A1)", "\tcmd", "\rcmd", "Guéret", "Saint-Vaury", "O'Neil, \"le\" lieu"];
        var communes = names.Select((n, i) => new CommuneCoverage($"2300{i}", n, 100 + i, 12.34, i == 0 ? null : 0.1234, null, 1, "-" + n,
            i == 1 ? null : 1234.4, i % 2 == 0, -1.5)).ToList();
        var result = new CoverageResult(new CoverageRequest { DepartementCode = "23" }, new CoverageSummary(0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
            communes, [], [], [], 20);

        var rows = Read(CoverageReports.Csv(result));
        Assert.Equal(CoverageReports.CsvColumns, rows[0]);
        Assert.Equal(
            ["'=1+1", "'+33 5 55 51 00 00", "'-2", "'@SUM(A1)", "'\tcmd", "'\rcmd", "Guéret", "Saint-Vaury", "O'Neil, \"le\" lieu"],
            rows.Skip(1).Select(r => r[1]));
        Assert.All(rows.Skip(1), r => Assert.StartsWith("'-", r[5]));
        // Numbers are written as numbers, a negative one included; empty when unknown.
        Assert.Equal(["23000", "'=1+1", "100", "12.3", "", "'-=1+1", "1234", "oui", "-1.50"], rows[1]);
        Assert.Equal(("0.1234", ""), (rows[2][4], rows[2][6]));
    }

    [Fact]
    public async Task A_hostile_commune_and_site_name_are_neutralised_in_the_coverage_csv_and_exact_in_the_schema_export()
    {
        // Straight into the test database, as a bad import or a hand edit would leave them.
        await server.ScalarAsync<object>("UPDATE communes SET nom = $1 WHERE code = '23096' RETURNING code", CommuneName);
        await server.ScalarAsync<object>("UPDATE sites SET nom = '=1+' || id WHERE commune_code = '23096' RETURNING id");
        var guéretSites = await server.ScalarAsync<long>("SELECT count(*) FROM sites WHERE commune_code = '23096'");
        Assert.True(guéretSites > 1);

        // The download of the coordinators' page.
        var http = Read(await server.Client.GetStringAsync("/coverage/23.csv"));
        var row = http.Single(r => r[0] == "23096");
        Assert.Equal("'" + CommuneName, row[1]);
        Assert.Matches(@"^'=1\+\d+$", row[5]);
        Assert.Matches(@"^\d+$", row[2]);
        Assert.DoesNotContain(http.Skip(1).SelectMany(r => r), cell => cell.Length > 0 && "=+-@\t\r".Contains(cell[0]) && !IsNumber(cell));

        // The same file from the command line.
        var (code, stdout, stderr) = await InclusionMapProcess.RunAsync(server.ConnectionString,
            "gaps", "--departement", "23", "--format", "csv");
        Assert.True(code == 0, stderr);
        Assert.Equal(row, Read(stdout).Single(r => r[0] == "23096"));

        // The schema-v1 export keeps the names as they are: it is validated against the official schema, not opened as a sheet.
        (code, stdout, stderr) = await InclusionMapProcess.RunAsync(server.ConnectionString,
            "export", "--format", "schema-v1-csv", "--departement", "23");
        Assert.True(code == 0, stderr);
        var export = Read(stdout);
        var nom = Array.IndexOf(export[0], "nom");
        var exported = export.Skip(1).Select(r => r[nom]).Where(n => n.StartsWith("=1+", StringComparison.Ordinal)).ToList();
        Assert.Equal(guéretSites, exported.Count);
        Assert.DoesNotContain(export.Skip(1), r => r[nom].StartsWith('\''));
    }

    private static bool IsNumber(string cell) => double.TryParse(cell, System.Globalization.CultureInfo.InvariantCulture, out _);
}
