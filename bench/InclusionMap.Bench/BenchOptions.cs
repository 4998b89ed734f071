using System.Globalization;

namespace InclusionMap.Bench;

/// <summary>The harness's settings: the full run, or a quick one that checks everything works in a few minutes.</summary>
public sealed record BenchOptions
{
    public bool Quick { get; init; }
    /// <summary>Catalogue sizes beyond the real one (scale-ups of the real one, each in its own database).</summary>
    public IReadOnlyList<int> Sizes { get; init; } = [25_000, 250_000];
    public int WrkSeconds { get; init; } = 20;
    public int WrkConnections { get; init; } = 16;
    /// <summary>Query points per query kind (measured), drawn from commune centres.</summary>
    public int Points { get; init; } = 300;
    public int WarmupPoints { get; init; } = 100;
    public bool Lighthouse { get; init; } = true;
    /// <summary>What to run: the bare words of the command line (import, api, hold); both benchmarks when none is named.</summary>
    public IReadOnlyList<string> Scenarios { get; init; } = ["import", "api"];

    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var options = args.Contains("--quick")
            ? new BenchOptions { Quick = true, WrkSeconds = 3, Points = 60, WarmupPoints = 30 }
            : new BenchOptions();
        var scenarios = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--duration": options = options with { WrkSeconds = int.Parse(args[++i], CultureInfo.InvariantCulture) }; break;
                case "--connections": options = options with { WrkConnections = int.Parse(args[++i], CultureInfo.InvariantCulture) }; break;
                case "--points": options = options with { Points = int.Parse(args[++i], CultureInfo.InvariantCulture) }; break;
                case "--sizes":
                    options = options with
                    {
                        Sizes = args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries)
                            .Select(s => int.Parse(s, CultureInfo.InvariantCulture))
                            .ToList(),
                    };
                    break;
                case "--no-lighthouse": options = options with { Lighthouse = false }; break;
                // A bare word is a scenario; an option's value (even an empty one) was read above, with its option.
                case var word when !word.StartsWith("--", StringComparison.Ordinal): scenarios.Add(word); break;
            }
        }
        return scenarios.Count == 0 ? options : options with { Scenarios = scenarios };
    }
}
