namespace InclusionMap.Core.Tests;

public sealed class CsvTests
{
    [Fact]
    public void Quoted_fields_keep_separators_quotes_and_line_breaks_and_records_know_their_first_line()
    {
        var text = "a,b,c\r\n1,\"x, y\",\"say \"\"hi\"\"\"\n2,\"two\nlines\",z\n\n3,,\n";
        var rows = Csv.Read(new StringReader(text)).ToList();
        Assert.Equal(4, rows.Count);
        Assert.Equal(["1", "x, y", "say \"hi\""], rows[1].Fields);
        Assert.Equal(["2", "two\nlines", "z"], rows[2].Fields);
        Assert.Equal(["3", "", ""], rows[3].Fields);
        Assert.Equal([1, 2, 3, 6], rows.Select(r => r.Line));
    }

    [Theory]
    [InlineData("id,pivot,nom", ',')]
    [InlineData("id;pivot;nom", ';')]
    [InlineData("\"a;b\",c,d", ',')]
    [InlineData("id\tpivot\tnom", '\t')]
    public void Separator_is_detected_outside_quotes(string header, char expected) => Assert.Equal(expected, Csv.DetectSeparator(header));

    [Fact]
    public void Written_rows_read_back_identically()
    {
        string?[] values = ["plain", "with, comma", "with \"quotes\"", "multi\nline", " padded ", null, ""];
        var writer = new StringWriter();
        using (var csv = Csv.Exact(writer)) Csv.WriteRow(csv, values);
        var back = Csv.Read(new StringReader(writer.ToString())).Single().Fields;
        Assert.Equal(values.Select(v => v ?? ""), back);
    }

    [Fact]
    public void Files_for_people_neutralise_cells_that_would_start_a_formula_and_exact_files_do_not()
    {
        string?[] values = ["=HYPERLINK(\"http://x\")", "+33", "-2", "@SUM(A1)", "Guéret"];
        var people = new StringWriter();
        using (var csv = Csv.ForPeople(people)) Csv.WriteRow(csv, values);
        Assert.Equal(["'=HYPERLINK(\"http://x\")", "'+33", "'-2", "'@SUM(A1)", "Guéret"],
            Csv.Read(new StringReader(people.ToString())).Single().Fields);
        var exact = new StringWriter();
        using (var csv = Csv.Exact(exact)) Csv.WriteRow(csv, values);
        Assert.Equal(values, Csv.Read(new StringReader(exact.ToString())).Single().Fields);
    }

    [Fact]
    public void A_record_that_never_ends_is_refused_with_its_line_instead_of_filling_memory()
    {
        // An unclosed quote early in a long file: every line after it would be one field.
        var hostile = "id,nom\n1,\"ouvert\n"
            + string.Concat(Enumerable.Repeat("2,une ligne ordinaire de lieu\n", 2 * Csv.MaxRecordBytes / 30));
        var e = Assert.Throws<InvalidDataException>(() => Csv.Read(new StringReader(hostile)).ToList());
        Assert.StartsWith("line ", e.Message);
    }
}
