using System.Globalization;

namespace InclusionMap.Bench;

/// <summary>Latency samples of one query kind: nearest-rank percentiles in milliseconds.</summary>
public sealed class Samples
{
    private readonly List<double> _ms = [];
    public int Count => _ms.Count;
    public void Add(TimeSpan elapsed) => _ms.Add(elapsed.TotalMilliseconds);

    public double Percentile(double p)
    {
        if (_ms.Count == 0) return double.NaN;
        var sorted = _ms.Order().ToList();
        var rank = (int)Math.Ceiling(p / 100 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }

    public double P50 => Percentile(50);
    public double P95 => Percentile(95);

    public string Format() => Count == 0 ? "n/a" : $"{Ms(P50)} / {Ms(P95)}";

    public static string Ms(double ms) => ms.ToString(ms < 10 ? "0.00" : ms < 100 ? "0.0" : "0", CultureInfo.InvariantCulture);
}
