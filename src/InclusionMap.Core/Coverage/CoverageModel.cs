namespace InclusionMap.Core.Coverage;

/// <summary>
/// The coverage computations of docs/coverage.md, on plain arrays: the database finds the pairs within reach (spatial
/// indexes), these functions only weigh them.
/// </summary>
public static class CoverageModel
{
    /// <summary>
    /// The stepwise decay of the accessibility index, after DREES's APL (full weight up to 5 km, two thirds to 10 km,
    /// one third to 20 km, nothing beyond): straight-line distances standing for the APL's driving times.
    /// </summary>
    public static readonly IReadOnlyList<DecayBand> DefaultDecay = [new(5_000, 1.0), new(10_000, 2.0 / 3), new(20_000, 1.0 / 3)];

    /// <summary>The largest distance with a weight: the catchment of the decay.</summary>
    public static double Catchment(IReadOnlyList<DecayBand> decay) => decay.Max(b => b.MaxMeters);

    /// <summary>The weight of a distance (0 beyond the last band).</summary>
    public static double Weight(double distanceMeters, IReadOnlyList<DecayBand> decay) => Weight(distanceMeters, Sorted(decay));

    private static DecayBand[] Sorted(IReadOnlyList<DecayBand> decay) => [.. decay.OrderBy(b => b.MaxMeters)];

    private static double Weight(double distanceMeters, DecayBand[] sortedBands)
    {
        foreach (var band in sortedBands)
            if (distanceMeters <= band.MaxMeters) return band.Weight;
        return 0;
    }

    /// <summary>
    /// Enhanced two-step floating catchment area. Step 1, each site's ratio of supply to the weighted demand in its
    /// catchment: <c>R_j = S_j / Σ_k W(d_kj)·D_k</c>. Step 2, each commune's index: <c>A_i = Σ_j W(d_ij)·R_j</c>, the supply
    /// per person in need within reach (here: weekly opening hours per person in need).
    /// </summary>
    /// <param name="demand">
    /// People in need of each demand point (every point in reach of a site must be present, not only the studied ones).
    /// </param>
    /// <param name="supply">Supply of each site (weekly opening hours).</param>
    /// <param name="links">Every demand–site pair within the catchment, with its distance.</param>
    /// <param name="decay">The stepwise decay.</param>
    /// <returns>The index of each demand point (0 when no site is in reach).</returns>
    public static double[] TwoStepFloatingCatchment(
        IReadOnlyList<double> demand, IReadOnlyList<double> supply, IReadOnlyList<CatchmentLink> links, IReadOnlyList<DecayBand> decay)
    {
        // Hundreds of thousands of links for the whole country: each weight is computed once.
        var bands = Sorted(decay);
        var weights = new double[links.Count];
        var weightedDemand = new double[supply.Count];
        for (var k = 0; k < links.Count; k++)
        {
            var l = links[k];
            weights[k] = Weight(l.DistanceMeters, bands);
            weightedDemand[l.Supply] += weights[k] * demand[l.Demand];
        }
        var ratio = new double[supply.Count];
        for (var j = 0; j < supply.Count; j++) ratio[j] = weightedDemand[j] > 0 ? supply[j] / weightedDemand[j] : 0;
        var index = new double[demand.Count];
        for (var k = 0; k < links.Count; k++) index[links[k].Demand] += weights[k] * ratio[links[k].Supply];
        return index;
    }

    /// <summary>
    /// Maximal covering location, greedy with the existing sites fixed: repeatedly adds the candidate that covers the
    /// most people in need not yet covered (ties: the lower index), until <paramref name="count"/> picks or nothing
    /// more can be covered. Greedy is within (1 − 1/e) of the optimum for this problem and is what a coordinator can
    /// follow by hand.
    /// </summary>
    /// <param name="need">People in need of each demand point.</param>
    /// <param name="covered">Whether each demand point is already within reach of an existing site.</param>
    /// <param name="covers">For each candidate, the demand points within reach of it.</param>
    /// <param name="count">How many sites to add.</param>
    public static IReadOnlyList<CoveringPick> GreedyMaximalCovering(
        IReadOnlyList<double> need, IReadOnlyList<bool> covered, IReadOnlyList<IReadOnlyList<int>> covers, int count)
    {
        var isCovered = covered.ToArray();
        var total = need.Where((_, i) => isCovered[i]).Sum();
        var used = new bool[covers.Count];
        var picks = new List<CoveringPick>();
        for (var round = 0; round < count; round++)
        {
            int best = -1;
            double bestGain = 0;
            for (var c = 0; c < covers.Count; c++)
            {
                if (used[c]) continue;
                double gain = 0;
                foreach (var d in covers[c]) if (!isCovered[d]) gain += need[d];
                if (gain > bestGain) (best, bestGain) = (c, gain);
            }
            if (best < 0) break;
            used[best] = true;
            foreach (var d in covers[best]) isCovered[d] = true;
            total += bestGain;
            picks.Add(new CoveringPick(best, bestGain, total));
        }
        return picks;
    }

    /// <summary>The median of some values (NaN when there are none).</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0) return double.NaN;
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /// <summary>The population-weighted median (each value counted as many times as its weight).</summary>
    public static double WeightedMedian(IEnumerable<(double Value, double Weight)> values)
    {
        var sorted = values.Where(v => v.Weight > 0).OrderBy(v => v.Value).ToArray();
        var total = sorted.Sum(v => v.Weight);
        if (total <= 0) return double.NaN;
        double running = 0;
        foreach (var (value, weight) in sorted)
        {
            running += weight;
            if (running >= total / 2) return value;
        }
        return sorted[^1].Value;
    }
}
