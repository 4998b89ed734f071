using GraphQL;
using GraphQL.Types;
using InclusionMap.Core.Schema;
using InclusionMap.Core.Territories;
using InclusionMap.Data;
using InclusionMap.Data.Analysis;
using Microsoft.EntityFrameworkCore;

namespace InclusionMap.Server.GraphQL;

/// <summary>Our estimate for a commune (docs/illectronism.md).</summary>
public sealed class IllectronismType : ObjectGraphType<Commune>
{
    public IllectronismType()
    {
        Name = "IllectronismEstimate";
        Description = "InclusionMap's estimate of illectronism among people aged 15+ (docs/illectronism.md): census indicators calibrated on published INSEE rates (15.4 % nationally, 2021).";
        Field<NonNullGraphType<FloatGraphType>>("rate").Description("Estimated share of the 15+ in illectronism, 0..1.").Resolve(ctx => ctx.Source.IllectronismRate);
        Field<NonNullGraphType<FloatGraphType>>("low").Description("Low end of the plausible interval.").Resolve(ctx => ctx.Source.IllectronismLow);
        Field<NonNullGraphType<FloatGraphType>>("high").Description("High end of the plausible interval.").Resolve(ctx => ctx.Source.IllectronismHigh);
        Field<NonNullGraphType<FloatGraphType>>("people").Description("Estimated people aged 15+ in illectronism (the people in need of the coverage analysis).").Resolve(ctx => ctx.Source.PeopleInNeed);
        Field<NonNullGraphType<FloatGraphType>>("population15Plus").Description("Estimated people aged 15 or more.").Resolve(ctx => ctx.Source.Population15Plus);
        Field<NonNullGraphType<StringGraphType>>("territoryClass").Description("rural, small-town, large-city or other (density proxies of INSEE's classes).").Resolve(ctx => ctx.Source.TerritoryClass);
        Field<NonNullGraphType<BooleanGraphType>>("imputed").Description("True when a census indicator was missing and the département's mean stood in.").Resolve(ctx => ctx.Source.IllectronismImputed);
    }
}

/// <summary>La Mednum's Indice de Fragilité Numérique: shown beside our estimate, never mixed into it.</summary>
public sealed class IfnType : ObjectGraphType<Commune>
{
    public IfnType()
    {
        Name = "FragiliteNumerique";
        Description = "Indice de Fragilité Numérique (La Mednum, fragilite-numerique.fr): a 0–10 risk score (10 = most fragile), not a rate of people. Attribution: « Indice de Fragilité Numérique — La Mednum ».";
        Field<NonNullGraphType<FloatGraphType>>("total").Resolve(ctx => ctx.Source.IfnTotal);
        Field<FloatGraphType>("noVeryHighSpeedCoverage").Resolve(ctx => ctx.Source.IfnNoThdCoverage);
        Field<FloatGraphType>("no4gCoverage").Resolve(ctx => ctx.Source.IfnNo4gCoverage);
        Field<FloatGraphType>("poverty").Resolve(ctx => ctx.Source.IfnPoverty);
        Field<FloatGraphType>("older65").Resolve(ctx => ctx.Source.IfnOlder65);
        Field<FloatGraphType>("lowDiploma").Resolve(ctx => ctx.Source.IfnLowDiploma);
        Field<NonNullGraphType<StringGraphType>>("attribution").Resolve(_ => "Indice de Fragilité Numérique — La Mednum");
    }
}

/// <summary>The sum over a département's communes.</summary>
public sealed record DepartementIllectronism(double Rate, double PeopleInNeed, double Population15Plus);

public sealed class DepartementIllectronismType : ObjectGraphType<DepartementIllectronism>
{
    public DepartementIllectronismType()
    {
        Name = "DepartementIllectronism";
        Description = "The département's communes summed: people in need over people aged 15+.";
        Field(x => x.Rate);
        Field(x => x.PeopleInNeed);
        Field(x => x.Population15Plus);
    }
}

public sealed class CommuneCoverageType : ObjectGraphType<CommuneCoverage>
{
    public CommuneCoverageType()
    {
        Name = "CommuneCoverage";
        Field(x => x.Code);
        Field<NonNullGraphType<StringGraphType>>("name").Resolve(ctx => ctx.Source.Nom);
        Field(x => x.Population);
        Field(x => x.PeopleInNeed).Description("Estimated people aged 15+ in illectronism.");
        Field(x => x.IllectronismRate, nullable: true);
        Field<GeoJsonGraphType>("centre").Description("The commune's point on surface, from which distances are measured.").Resolve(ctx => ctx.Source.Centre);
        Field<IdGraphType>("nearestSiteId").Resolve(ctx => ctx.Source.NearestSiteId?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Field(x => x.NearestSiteName, nullable: true);
        Field(x => x.NearestDistanceMeters, nullable: true).Description("Straight-line distance to the nearest matching site (null when there is none).");
        Field(x => x.Beyond).Description("True when the nearest matching site is beyond the threshold.");
        Field(x => x.Accessibility).Description("E2SFCA index: weekly opening hours within reach per 1,000 people in need (docs/coverage.md).");
    }
}

public sealed class CoverageSuggestionType : ObjectGraphType<CoverageSuggestion>
{
    public CoverageSuggestionType()
    {
        Name = "CoverageSuggestion";
        Field(x => x.Rank);
        Field(x => x.CommuneCode);
        Field(x => x.CommuneName);
        Field<NonNullGraphType<GeoJsonGraphType>>("location").Resolve(ctx => ctx.Source.Location);
        Field<NonNullGraphType<FloatGraphType>>("peopleNewlyCovered").Description("People in need newly within the maximum distance.").Resolve(ctx => ctx.Source.NewlyCovered);
        Field<NonNullGraphType<FloatGraphType>>("latitude").Resolve(ctx => ctx.Source.Location.Y);
        Field<NonNullGraphType<FloatGraphType>>("longitude").Resolve(ctx => ctx.Source.Location.X);
        Field(x => x.CoveredAfter).Description("People in need within the threshold once this and the previous suggestions exist.");
        Field(x => x.CoveredCommunes).Description("The communes beyond the maximum distance that this site brings within it.");
    }
}

public sealed class CoverageSummaryType : ObjectGraphType<CoverageSummary>
{
    public CoverageSummaryType()
    {
        Name = "CoverageSummary";
        Field(x => x.Communes);
        Field(x => x.Population);
        Field(x => x.PeopleInNeed);
        Field(x => x.PeopleInNeedBeyond).Description("People in need whose nearest matching site is beyond the threshold.");
        Field(x => x.ShareBeyond);
        Field(x => x.Sites).Description("Matching sites inside the studied communes.");
        Field(x => x.SitesPer10000InNeed);
        Field<FloatGraphType>("medianDistanceMeters")
            .Description("Median distance to the nearest matching site, over people in need; " +
                "null when no site matches or no one is in need.")
            .Resolve(ctx => double.IsFinite(ctx.Source.MedianDistanceMeters) ? ctx.Source.MedianDistanceMeters : null);
        Field(x => x.CoveredBefore);
        Field(x => x.CoveredAfter).Description("People in need within the threshold once every suggestion exists.");
    }
}

public sealed class CoverageType : ObjectGraphType<CoverageResult>
{
    public CoverageType()
    {
        Name = "Coverage";
        Description = "Coverage-gap analysis (docs/coverage.md).";
        Field<NonNullGraphType<FloatGraphType>>("maxDistanceMeters").Resolve(ctx => ctx.Source.Request.ThresholdMeters);
        Field<NonNullGraphType<FloatGraphType>>("defaultWeeklyHours").Description("Supply assumed for a site whose opening hours are unknown.").Resolve(ctx => ctx.Source.DefaultWeeklyHours);
        Field<NonNullGraphType<CoverageSummaryType>>("summary").Resolve(ctx => ctx.Source.Summary);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<CommuneCoverageType>>>>("gaps")
            .Description("Communes beyond the threshold, most people in need first.")
            .Argument<IntGraphType>("first", a => a.DefaultValue = 20)
            .ListSize(slicingArgument: "first")
            .Resolve(ctx => ctx.Source.Gaps.Take(PageSize(ctx)));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<CommuneCoverageType>>>>("communes")
            .Description("Every studied commune, by code.")
            .Argument<IntGraphType>("first", a => a.DefaultValue = 100)
            .Argument<IntGraphType>("offset", a => a.DefaultValue = 0)
            .ListSize(slicingArgument: "first")
            .Resolve(ctx => ctx.Source.Communes.Skip(Math.Max(0, ctx.GetArgument("offset", 0))).Take(PageSize(ctx)));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<CoverageSuggestionType>>>>("suggestions")
            .ListSize(assumedSize: CoverageAnalysis.MaxSuggestions)
            .Resolve(ctx => ctx.Source.Suggestions);
    }

    private const int MaxPage = 1000;

    private static int PageSize(IResolveFieldContext ctx)
    {
        var first = ctx.GetArgument("first", 20);
        if (first is < 0 or > MaxPage) throw new ExecutionError($"first must be between 0 and {MaxPage}.") { Code = "PAGE_SIZE_EXCEEDED" };
        return first;
    }
}

public static class AnalysisFields
{
    /// <summary>The cost of one coverage analysis (seconds of database work), against the limit of 2,500 per document.</summary>
    public const double CoverageComplexity = 1_000;

    /// <summary>The analysis's field: a document may select it once (<see cref="OneAnalysisPerRequestRule"/>).</summary>
    public const string CoverageField = "coverage";

    /// <summary>Adds <c>illectronism</c> and <c>fragiliteNumerique</c> to the commune type.</summary>
    public static void AddCommuneAnalysis(this ObjectGraphType<Commune> type)
    {
        type.Field<IllectronismType>("illectronism").Description("Estimated illectronism (null where the population is unknown).")
            .Resolve(ctx => ctx.Source.IllectronismRate is null ? null : ctx.Source);
        type.Field<IfnType>("ifn").Description("La Mednum's digital fragility index, a separate attributed overlay (null where not published).")
            .Resolve(ctx => ctx.Source.IfnTotal is null ? null : ctx.Source);
    }

    /// <summary>Adds the département's summed estimate, and its figures beside its région's.</summary>
    public static void AddDepartementAnalysis(this ObjectGraphType<Departement> type)
    {
        type.Field<NonNullGraphType<TerritoryFiguresType>>("figures").Description("The département's population, need, places and IFN.")
            .ResolveAsync(async ctx => (await ctx.RequestServices!.GetRequiredService<TerritoryFiguresCache>().GetAsync()).Departements[ctx.Source.Code]);
        type.Field<NonNullGraphType<TerritoryFiguresType>>("regionFigures").Description("The same figures for the département's région.")
            .ResolveAsync(async ctx =>
            {
                var table = await ctx.RequestServices!.GetRequiredService<TerritoryFiguresCache>().GetAsync();
                return table.Regions[table.RegionOfDepartement[ctx.Source.Code]];
            });
        type.Field<DepartementIllectronismType>("illectronism").Cost(QueryCost.Statement).ResolveAsync(async ctx =>
        {
            var db = ctx.RequestServices!.GetRequiredService<CatalogueDbContext>();
            var sums = await db.Communes.AsNoTracking().Where(c => c.DepartementCode == ctx.Source.Code && c.PeopleInNeed != null)
                .GroupBy(_ => 1).Select(g => new { Need = g.Sum(c => c.PeopleInNeed!.Value), Adults = g.Sum(c => c.Population15Plus!.Value) })
                .FirstOrDefaultAsync(ctx.CancellationToken);
            return sums is null || sums.Adults <= 0 ? null : new DepartementIllectronism(sums.Need / sums.Adults, sums.Need, sums.Adults);
        });
    }

    /// <summary>The <c>coverage</c> query, and France's figures to compare a département with.</summary>
    public static void AddCoverageQuery(this ObjectGraphType type)
    {
        type.Field<NonNullGraphType<TerritoryFiguresType>>("franceFigures").Description("France's population, need, places and IFN (every département).")
            .ResolveAsync(async ctx => (await ctx.RequestServices!.GetRequiredService<TerritoryFiguresCache>().GetAsync()).France);
                type.Field<NonNullGraphType<CoverageType>>(CoverageField)
            .Description("Coverage-gap analysis of a département or a set of communes: distance to the nearest matching site, people in need beyond the threshold, E2SFCA accessibility, ranked gaps and suggested new sites (docs/coverage.md).")
            .Argument<StringGraphType>("departementCode")
            .Argument<ListGraphType<NonNullGraphType<StringGraphType>>>("communeCodes", $"Any set of communes (at most {CoverageAnalysis.MaxCommunes}).")
            .Argument<ListGraphType<NonNullGraphType<VocabularyEnumType<Service>>>>("services", "What counts as help: sites offering any of these services (all sites when absent).")
            .Argument<ListGraphType<NonNullGraphType<VocabularyEnumType<Public>>>>("publics")
            .Argument<ListGraphType<NonNullGraphType<VocabularyEnumType<ModaliteAccompagnement>>>>("modalites")
            .Argument<ListGraphType<NonNullGraphType<VocabularyEnumType<DispositifProgrammeNational>>>>("programmes",
                "… and only the sites of any of these national programmes (France Services, conseillers numériques…).")
            .Argument<FloatGraphType>("maxDistanceMeters", a => { a.DefaultValue = CoverageAnalysis.DefaultThresholdMeters; a.Description = $"Beyond this straight-line distance people are far from help (at most {CoverageAnalysis.MaxThresholdMeters:0} m)."; })
            .Argument<IntGraphType>("suggest", a => { a.DefaultValue = 3; a.Description = $"How many new sites to suggest (at most {CoverageAnalysis.MaxSuggestions})."; })
            // One analysis is seconds of database work: one per request (OneAnalysisPerRequestRule), and priced as such.
            .Cost(CoverageComplexity)
            .ResolveAsync(async ctx =>
            {
                var request = new CoverageRequest
                {
                    DepartementCode = ctx.GetArgument<string?>("departementCode"),
                    CommuneCodes = ctx.GetArgument<List<string>?>("communeCodes"),
                    Services = ctx.GetArgument<List<Service>?>("services"),
                    Publics = ctx.GetArgument<List<Public>?>("publics"),
                    Modalites = ctx.GetArgument<List<ModaliteAccompagnement>?>("modalites"),
                    Programmes = ctx.GetArgument<List<DispositifProgrammeNational>?>("programmes"),
                    ThresholdMeters = ctx.GetArgument("maxDistanceMeters", CoverageAnalysis.DefaultThresholdMeters),
                    Suggestions = ctx.GetArgument("suggest", 3),
                };
                try
                {
                    var analyses = ctx.RequestServices!.GetRequiredService<Coverage.CoverageCache>();
                    return await analyses.AnalyseAsync(request, ctx.CancellationToken);
                }
                catch (ArgumentException e)
                {
                    throw new ExecutionError(e.Message) { Code = "BAD_USER_INPUT" };
                }
            });
    }
}
