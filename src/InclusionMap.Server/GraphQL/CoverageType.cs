using GraphQL;
using GraphQL.Types;
using InclusionMap.Data.Analysis;

namespace InclusionMap.Server.GraphQL;

public sealed class CoverageType : ObjectGraphType<CoverageResult>
{
    public CoverageType()
    {
        Name = "Coverage";
        Description = "Coverage-gap analysis (docs/coverage.md).";
        Field<NonNullGraphType<FloatGraphType>>("maxDistanceMeters").Resolve(ctx => ctx.Source.Request.ThresholdMeters);
        Field<NonNullGraphType<FloatGraphType>>("defaultWeeklyHours")
            .Description("Supply assumed for a site whose opening hours are unknown.")
            .Resolve(ctx => ctx.Source.DefaultWeeklyHours);
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
