using System.Globalization;

namespace InclusionMap.Core.Illectronism;

/// <summary>
/// The rates table of the illectronism model: <c>data/illectronism/rates.csv</c>, compiled into the assembly so that
/// the figures the model uses are the ones the repository cites.
/// </summary>
public sealed class IllectronismRates
{
    private readonly Dictionary<string, RateCitation> _rows;

    private IllectronismRates(Dictionary<string, RateCitation> rows) => _rows = rows;

    /// <summary>The table shipped with InclusionMap.</summary>
    public static IllectronismRates Published { get; } = Load(
        new StreamReader(typeof(IllectronismRates).Assembly.GetManifestResourceStream("InclusionMap.Core.illectronism-rates.csv")
            ?? throw new InvalidOperationException("The illectronism rates table is not embedded.")));

    /// <summary>Reads a rates table (CSV with the columns of <see cref="RateCitation"/>).</summary>
    public static IllectronismRates Load(TextReader reader)
    {
        var rows = new Dictionary<string, RateCitation>(StringComparer.Ordinal);
        foreach (var row in Csv.Read(reader, ',').Skip(1))
        {
            var f = row.Fields;
            if (f.Length < 8 || string.IsNullOrWhiteSpace(f[0])) continue;
            rows[f[0]] = new RateCitation(f[0], double.Parse(f[1], CultureInfo.InvariantCulture), f[2], f[3], f[4], f[5], f[6], f[7]);
        }
        return new IllectronismRates(rows);
    }

    /// <summary>The value of a key (percentages as published, ratios as fractions).</summary>
    public double this[string key] => _rows.TryGetValue(key, out var row)
        ? row.Value
        : throw new KeyNotFoundException($"No '{key}' in the illectronism rates table.");

    public IReadOnlyCollection<RateCitation> Rows => _rows.Values;

    /// <summary>The same table with some values replaced (tests, sensitivity analyses).</summary>
    public IllectronismRates With(string key, double value) =>
        new(new Dictionary<string, RateCitation>(_rows) { [key] = Rows.First(r => r.Key == key) with { Value = value } });
}
