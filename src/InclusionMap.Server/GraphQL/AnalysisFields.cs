using GraphQL;
using GraphQL.Types;
using InclusionMap.Core.Schema;
using InclusionMap.Core.Territories;
using InclusionMap.Data;
using InclusionMap.Data.Analysis;
using Microsoft.EntityFrameworkCore;

namespace InclusionMap.Server.GraphQL;

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
        type.Field<IfnType>("ifn")
            .Description("La Mednum's digital fragility index, a separate attributed overlay (null where not published).")
            .Resolve(ctx => ctx.Source.IfnTotal is null ? null : ctx.Source);
    }

    /// <summary>Adds the département's summed estimate, and its figures beside its région's.</summary>
    public static void AddDepartementAnalysis(this ObjectGraphType<Departement> type)
    {
        type.Field<NonNullGraphType<TerritoryFiguresType>>("figures").Description("The département's population, need, places and IFN.")
            .ResolveAsync(async ctx =>
                (await ctx.RequestServices!.GetRequiredService<TerritoryFiguresCache>().GetAsync()).Departements[ctx.Source.Code]);
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
                .GroupBy(_ => 1)
                .Select(g => new { Need = g.Sum(c => c.PeopleInNeed!.Value), Adults = g.Sum(c => c.Population15Plus!.Value) })
                .FirstOrDefaultAsync(ctx.CancellationToken);
            return sums is null || sums.Adults <= 0 ? null : new DepartementIllectronism(sums.Need / sums.Adults, sums.Need, sums.Adults);
        });
    }

    /// <summary>The <c>coverage</c> query, and France's figures to compare a département with.</summary>
    public static void AddCoverageQuery(this ObjectGraphType type)
    {
        type.Field<NonNullGraphType<TerritoryFiguresType>>("franceFigures")
            .Description("France's population, need, places and IFN (every département).")
            .ResolveAsync(async ctx => (await ctx.RequestServices!.GetRequiredService<TerritoryFiguresCache>().GetAsync()).France);
                type.Field<NonNullGraphType<CoverageType>>(CoverageField)
            .Description("Coverage-gap analysis of a département or a set of communes: distance to the nearest matching site, "
                + "people in need beyond the threshold, E2SFCA accessibility, ranked gaps and suggested new sites (docs/coverage.md).")
            .Argument<StringGraphType>("departementCode")
            .Argument<ListGraphType<NonNullGraphType<StringGraphType>>>("communeCodes",
                $"Any set of communes (at most {CoverageAnalysis.MaxCommunes}).")
            .Argument<ListGraphType<NonNullGraphType<VocabularyEnumType<Service>>>>("services",
                "What counts as help: sites offering any of these services (all sites when absent).")
            .Argument<ListGraphType<NonNullGraphType<VocabularyEnumType<Public>>>>("publics")
            .Argument<ListGraphType<NonNullGraphType<VocabularyEnumType<ModaliteAccompagnement>>>>("modalites")
            .Argument<ListGraphType<NonNullGraphType<VocabularyEnumType<DispositifProgrammeNational>>>>("programmes",
                "… and only the sites of any of these national programmes (France Services, conseillers numériques…).")
            .Argument<FloatGraphType>("maxDistanceMeters", a =>
            {
                a.DefaultValue = CoverageAnalysis.DefaultThresholdMeters;
                a.Description = "Beyond this straight-line distance people are far from help "
                    + $"(at most {CoverageAnalysis.MaxThresholdMeters:0} m).";
            })
            .Argument<IntGraphType>("suggest", a =>
            {
                a.DefaultValue = 3;
                a.Description = $"How many new sites to suggest (at most {CoverageAnalysis.MaxSuggestions}).";
            })
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
