using InclusionMap.Core.Coverage;

namespace InclusionMap.Core.Tests.Analysis;

/// <summary>The coverage computations on small cases worked out by hand.</summary>
public sealed class CoverageModelTests
{
    [Theory]
    [InlineData(0, 1.0)]
    [InlineData(5_000, 1.0)]
    [InlineData(5_001, 2.0 / 3)]
    [InlineData(10_000, 2.0 / 3)]
    [InlineData(19_999, 1.0 / 3)]
    [InlineData(20_001, 0)]
    public void The_decay_is_stepwise(double meters, double weight) =>
        Assert.Equal(weight, CoverageModel.Weight(meters, CoverageModel.DefaultDecay), 10);

    [Fact]
    public void Two_step_floating_catchment_matches_a_hand_computation()
    {
        // Two communes (100 and 300 people in need), two sites (10 h and 30 h a week).
        // Site 0: commune 0 at 1 km (w 1), commune 1 at 8 km (w 2/3) → weighted demand 100 + 200 = 300 → R0 = 10/300.
        // Site 1: commune 1 at 2 km (w 1) → weighted demand 300 → R1 = 30/300.
        // A0 = 1·R0 = 1/30; A1 = 2/3·R0 + 1·R1 = 2/90 + 1/10 = 11/90.
        double[] demand = [100, 300];
        double[] supply = [10, 30];
        CatchmentLink[] links = [new(0, 0, 1_000), new(1, 0, 8_000), new(1, 1, 2_000)];
        var index = CoverageModel.TwoStepFloatingCatchment(demand, supply, links, CoverageModel.DefaultDecay);
        Assert.Equal(1.0 / 30, index[0], 12);
        Assert.Equal(11.0 / 90, index[1], 12);
        // Total supply is conserved: Σ A_i·D_i = Σ S_j when every weight is 1
        // (here 100/30 + 300·11/90 = 40 − 10·(1 − 2/3)·… ≤ 40).
        Assert.True(index[0] * 100 + index[1] * 300 <= 40 + 1e-9);
    }

    [Fact]
    public void A_commune_out_of_every_catchment_has_zero_accessibility()
    {
        var index = CoverageModel.TwoStepFloatingCatchment([50, 60], [10], [new(0, 0, 3_000)], CoverageModel.DefaultDecay);
        Assert.Equal(0, index[1]);
        Assert.Equal(10.0 / 50, index[0], 12);
    }

    [Fact]
    public void Greedy_covering_picks_the_largest_uncovered_need_first_and_never_counts_twice()
    {
        double[] need = [100, 50, 70, 30, 10];
        bool[] covered = [false, false, false, true, false];
        // Candidate 0 covers 0 and 1 (150); candidate 1 covers 1, 2, 3 (120 new: 3 is already covered); candidate 2 covers 2 and 4 (80).
        IReadOnlyList<int>[] covers = [[0, 1], [1, 2, 3], [2, 4]];
        var picks = CoverageModel.GreedyMaximalCovering(need, covered, covers, 3);
        Assert.Equal([0, 2], picks.Select(p => p.Candidate));            // after 0 (150), 2 adds 80 > 1's remaining 70
        Assert.Equal([150.0, 80.0], picks.Select(p => p.NewlyCovered));
        Assert.Equal(30 + 150 + 80, picks[^1].CoveredAfter);
        // Nothing left to gain: the third pick is not made.
        Assert.Equal(2, picks.Count);
    }

    [Fact]
    public void Weighted_median_counts_people_not_communes()
    {
        Assert.Equal(20, CoverageModel.WeightedMedian([(5, 10), (20, 100), (50, 10)]));
        Assert.Equal(5, CoverageModel.WeightedMedian([(5, 100), (20, 10), (50, 10)]));
        Assert.True(double.IsNaN(CoverageModel.WeightedMedian([])));
    }
}
