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
        Csv.WriteRow(writer, values);
        var back = Csv.Read(new StringReader(writer.ToString())).Single().Fields;
        Assert.Equal(values.Select(v => v ?? ""), back);
    }
}
