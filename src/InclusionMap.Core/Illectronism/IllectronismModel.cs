namespace InclusionMap.Core.Illectronism;

/// <summary>
/// Estimated illectronism per commune (docs/illectronism.md). The rate of a commune's 15+ population is
/// <code>logit r = logit(a·R65 + (1−a)·R15–64) + βd·(d − d̄) + βa·(h − h̄) + βp·(p − p̄) + τ(territory) + δ·overseas + κ</code>
/// where <c>a</c> is the share of 65+ among the 15+, <c>d</c> the share of people with no or a low diploma, <c>h</c> the
/// share of one-person households, <c>p</c> the poverty rate where published. R65 comes from the published age rates;
/// R15–64 and κ are calibrated so the population-weighted national rate equals the published 15.4 %; the β are the
/// published gross odds ratios attenuated for their overlap with age; τ and δ are calibrated so that the published
/// territorial and overseas ratios are reproduced. The plausible interval spans the attenuation (0.25–0.75) and the
/// national figure's sampling uncertainty.
/// </summary>
public sealed class IllectronismModel
{
    private readonly double _r65, _r1564, _betaDiploma, _betaAlone, _betaPoverty, _overseas, _kappa;
    private readonly Dictionary<TerritoryClass, double> _territory;
    private readonly Means _means;

    private sealed record Means(double Diploma, double Alone, double Poverty);

    private IllectronismModel(double r65, double r1564, double betaDiploma, double betaAlone, double betaPoverty,
        Dictionary<TerritoryClass, double> territory, double overseas, double kappa, Means means)
    {
        (_r65, _r1564, _betaDiploma, _betaAlone, _betaPoverty, _territory, _overseas, _kappa, _means) =
            (r65, r1564, betaDiploma, betaAlone, betaPoverty, territory, overseas, kappa, means);
    }

    /// <summary>Rate of the 65+ (from the published 65–74 and 75+ rates), for the documentation and tests.</summary>
    public double Rate65Plus => _r65;

    /// <summary>Rate of the 15–64 calibrated so that age alone reproduces the national figure.</summary>
    public double Rate15To64 => _r1564;

    /// <summary>The calibrated territorial offsets (log-odds), <see cref="TerritoryClass.Other"/> being 0.</summary>
    public IReadOnlyDictionary<TerritoryClass, double> TerritoryOffsets => _territory;

    /// <summary>The calibrated overseas offset (log-odds).</summary>
    public double OverseasOffset => _overseas;

    /// <summary>Density proxy for INSEE's territorial classes (see <see cref="TerritoryClass"/>).</summary>
    /// <param name="population">Population of the commune.</param>
    /// <param name="areaKm2">Area of its polygon.</param>
    /// <param name="nearLargeCity">Whether a commune of 50,000+ inhabitants lies within 25 km (from the database).</param>
    public static TerritoryClass Classify(int population, double? areaKm2, bool nearLargeCity)
    {
        if (areaKm2 is not > 0) return TerritoryClass.Other;
        var density = population / areaKm2.Value;
        if (density >= 3000) return TerritoryClass.LargeCity;
        if (population is >= 2000 and <= 30000 && density >= 100 && !nearLargeCity) return TerritoryClass.SmallTown;
        if (density < 30) return TerritoryClass.Rural;
        return TerritoryClass.Other;
    }

    /// <summary>The class of a profile.</summary>
    public static TerritoryClass Classify(CommuneProfile c) => Classify(c.Population, c.AreaKm2, c.NearLargeCity);

    /// <summary>People aged 15+: the census shares are shares of the 15+ and do not give the children, so the national
    /// share of under-15s (rates table) stands for every commune.</summary>
    public static double Population15Plus(CommuneProfile c, IllectronismRates rates) => c.Population * (1 - rates["share_under_15"]);

    /// <summary>Estimates every commune: the central calibration and the scenarios of the plausible interval.</summary>
    public static IReadOnlyList<IllectronismEstimate> Estimate(IReadOnlyList<CommuneProfile> communes, IllectronismRates? rates = null)
    {
        rates ??= IllectronismRates.Published;
        var (filled, imputed) = Impute(communes);
        var national = rates["national"] / 100;
        var halfWidth = rates["national_interval_half_width"] / 100;
        var attenuation = rates["attenuation"];
        var central = Calibrate(filled, rates, attenuation, national);
        var scenarios = new[]
        {
            Calibrate(filled, rates, attenuation * 0.5, national - halfWidth),
            Calibrate(filled, rates, attenuation * 0.5, national + halfWidth),
            Calibrate(filled, rates, Math.Min(1, attenuation * 1.5), national - halfWidth),
            Calibrate(filled, rates, Math.Min(1, attenuation * 1.5), national + halfWidth),
        };
        var result = new List<IllectronismEstimate>(filled.Count);
        for (var i = 0; i < filled.Count; i++)
        {
            var c = filled[i];
            var rate = central.RateOf(c);
            var others = scenarios.Select(s => s.RateOf(c)).Append(rate).ToList();
            double low = others.Min(), high = others.Max();
            // A commune with an imputed indicator is less certain: widen its interval by a fifth each side.
            if (imputed[i]) (low, high) = (low * 0.8, Math.Min(1, high * 1.2));
            var people15 = Population15Plus(c, rates);
            result.Add(new IllectronismEstimate(c.Code, people15, rate, low, high, people15 * rate, Classify(c), imputed[i]));
        }
        return result;
    }

    /// <summary>The rate of one commune (its indicators must be filled: see <see cref="Estimate"/>).</summary>
    public double RateOf(CommuneProfile c) => Logistic(LogOdds(c) + _kappa);

    private double LogOdds(CommuneProfile c)
    {
        var a = Share65AmongAdults(c);
        var baseRate = Math.Clamp(a * _r65 + (1 - a) * _r1564, 1e-4, 1 - 1e-4);
        var x = Logit(baseRate)
            + _betaDiploma * ((c.ShareNoDiploma ?? _means.Diploma) - _means.Diploma)
            + _betaAlone * ((c.ShareLivingAlone ?? _means.Alone) - _means.Alone)
            + (c.PovertyRate is { } p ? _betaPoverty * (p - _means.Poverty) : 0)
            + _territory[Classify(c)]
            + (c.Overseas ? _overseas : 0);
        return x;
    }

    /// <summary>The census indicator is already a share of the population aged 15+ (its population-weighted mean is 23.5 %,
    /// the 65+ among the 15+ in 2017, against 19.6 % of the whole population).</summary>
    private static double Share65AmongAdults(CommuneProfile c) => Math.Clamp(c.Share65Plus ?? 0.235, 0, 1);

    /// <summary>Calibrates the model on the communes for one attenuation of the gross odds ratios and one national target.</summary>
    public static IllectronismModel Calibrate(
        IReadOnlyList<CommuneProfile> communes, IllectronismRates rates, double attenuation, double nationalTarget)
    {
        var weights = communes.Select(c => Population15Plus(c, rates)).ToArray();
        double W = weights.Sum();
        double Mean(Func<CommuneProfile, double?> f)
        {
            double sum = 0, w = 0;
            for (var i = 0; i < communes.Count; i++)
                if (f(communes[i]) is { } v) { sum += v * weights[i]; w += weights[i]; }
            return w > 0 ? sum / w : 0;
        }
        var means = new Means(Mean(c => c.ShareNoDiploma), Mean(c => c.ShareLivingAlone), Mean(c => c.PovertyRate));

        // Age: the 65+ rate from the published 65–74 (read as the 60–74 figure) and 75+ rates; the 15–64 rate such that
        // age alone gives the national figure.
        var share75 = rates["share_75_plus_among_65_plus"];
        var r65 = (1 - share75) * rates["age_60_74"] / 100 + share75 * rates["age_75_plus"] / 100;
        var adults65 = communes.Select((c, i) => Share65AmongAdults(c) * weights[i]).Sum();
        var r1564 = Math.Clamp((nationalTarget * W - r65 * adults65) / (W - adults65), 0.001, 0.5);

        // Gross odds ratios of the published contrasts, kept in part (the rest is age).
        static double LogOddsRatio(double highPct, double lowPct) => Logit(highPct / 100) - Logit(lowPct / 100);
        var betaDiploma = attenuation * LogOddsRatio(rates["diploma_cep_or_less"], rates["diploma_bac3_plus"]);
        var betaAlone = attenuation * LogOddsRatio(rates["household_alone"], rates["household_couple_children"]);
        var betaPoverty = attenuation * LogOddsRatio(rates["income_bottom_40"], rates["income_top_20"]);

        // The published classes through their proxies (TerritoryClass); "other" is the reference.
        var territoryTargets = new Dictionary<TerritoryClass, double>
        {
            [TerritoryClass.Rural] = rates["territory_rural_2019"] / rates["metro_2019"],
            [TerritoryClass.SmallTown] = rates["territory_small_poles_2019"] / rates["metro_2019"],
            [TerritoryClass.LargeCity] = rates["territory_largest_cities_2019"] / rates["metro_2019"],
        };
        var overseasTarget = rates["dom_2021"] / rates["metro_2021"];

        var territory = Enum.GetValues<TerritoryClass>().ToDictionary(t => t, _ => 0.0);
        double overseas = 0, kappa = 0;
        var classes = communes.Select(Classify).ToArray();
        var hasOverseas = communes.Any(c => c.Overseas);
        for (var iteration = 0; iteration < 200; iteration++)
        {
            var model = new IllectronismModel(r65, r1564, betaDiploma, betaAlone, betaPoverty, territory, overseas, kappa, means);
            var logOdds = communes.Select(model.LogOdds).ToArray();
            kappa = SolveKappa(logOdds, weights, nationalTarget);
            double Aggregate(Func<int, bool> member)
            {
                double sum = 0, w = 0;
                for (var i = 0; i < logOdds.Length; i++)
                    if (member(i)) { sum += Logistic(logOdds[i] + kappa) * weights[i]; w += weights[i]; }
                return w > 0 ? sum / w : double.NaN;
            }
            var metro = Aggregate(i => !communes[i].Overseas);
            var change = 0.0;
            foreach (var (klass, target) in territoryTargets)
            {
                var current = Aggregate(i => classes[i] == klass && !communes[i].Overseas) / metro;
                if (double.IsNaN(current)) continue;
                var step = Math.Log(target / current);
                territory[klass] += step;
                change = Math.Max(change, Math.Abs(step));
            }
            if (hasOverseas)
            {
                var step = Math.Log(overseasTarget / (Aggregate(i => communes[i].Overseas) / metro));
                overseas += step;
                change = Math.Max(change, Math.Abs(step));
            }
            if (change < 1e-7) break;
        }
        var final = new IllectronismModel(r65, r1564, betaDiploma, betaAlone, betaPoverty, territory, overseas, 0, means);
        kappa = SolveKappa(communes.Select(final.LogOdds).ToArray(), weights, nationalTarget);
        return new IllectronismModel(r65, r1564, betaDiploma, betaAlone, betaPoverty, territory, overseas, kappa, means);
    }

    /// <summary>The constant that makes the population-weighted mean rate equal the target (bisection: monotone).</summary>
    private static double SolveKappa(double[] logOdds, double[] weights, double target)
    {
        double W = weights.Sum(), lo = -10, hi = 10;
        for (var i = 0; i < 100; i++)
        {
            var mid = (lo + hi) / 2;
            double sum = 0;
            for (var j = 0; j < logOdds.Length; j++) sum += Logistic(logOdds[j] + mid) * weights[j];
            if (sum / W < target) lo = mid; else hi = mid;
        }
        return (lo + hi) / 2;
    }

    /// <summary>A missing indicator takes the population-weighted mean of the commune's département (poverty stays unknown:
    /// it is published only where the statistical secret allows, and its term is then left out).</summary>
    private static (List<CommuneProfile> Filled, bool[] Imputed) Impute(IReadOnlyList<CommuneProfile> communes)
    {
        var byDepartement = communes.GroupBy(c => c.DepartementCode).ToDictionary(g => g.Key, g => g.ToList());
        double? Mean(IEnumerable<CommuneProfile> group, Func<CommuneProfile, double?> f)
        {
            double sum = 0, w = 0;
            foreach (var c in group)
                if (f(c) is { } v) { sum += v * c.Population; w += c.Population; }
            return w > 0 ? sum / w : null;
        }
        var cache = new Dictionary<(string, int), double?>();
        double? Fill(CommuneProfile c, int field, Func<CommuneProfile, double?> f)
        {
            if (f(c) is { } v) return v;
            if (!cache.TryGetValue((c.DepartementCode, field), out var mean))
                cache[(c.DepartementCode, field)] = mean = Mean(byDepartement[c.DepartementCode], f) ?? Mean(communes, f);
            return mean;
        }
        var filled = new List<CommuneProfile>(communes.Count);
        var imputed = new bool[communes.Count];
        for (var i = 0; i < communes.Count; i++)
        {
            var c = communes[i];
            imputed[i] = c.Share65Plus is null || c.Share25OrUnder is null || c.ShareNoDiploma is null || c.ShareLivingAlone is null;
            filled.Add(c with
            {
                Share65Plus = Fill(c, 0, x => x.Share65Plus),
                Share25OrUnder = Fill(c, 1, x => x.Share25OrUnder),
                ShareNoDiploma = Fill(c, 2, x => x.ShareNoDiploma),
                ShareLivingAlone = Fill(c, 3, x => x.ShareLivingAlone),
            });
        }
        return (filled, imputed);
    }

    private static double Logit(double p) => Math.Log(p / (1 - p));

    private static double Logistic(double x) => 1 / (1 + Math.Exp(-x));
}
