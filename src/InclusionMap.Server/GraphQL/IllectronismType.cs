using GraphQL.Types;
using InclusionMap.Core.Territories;

namespace InclusionMap.Server.GraphQL;

/// <summary>Our estimate for a commune (docs/illectronism.md).</summary>
public sealed class IllectronismType : ObjectGraphType<Commune>
{
    public IllectronismType()
    {
        Name = "IllectronismEstimate";
        Description = "InclusionMap's estimate of illectronism among people aged 15+ (docs/illectronism.md): "
            + "census indicators calibrated on published INSEE rates (15.4 % nationally, 2021).";
        Field<NonNullGraphType<FloatGraphType>>("rate")
            .Description("Estimated share of the 15+ in illectronism, 0..1.")
            .Resolve(ctx => ctx.Source.IllectronismRate);
        Field<NonNullGraphType<FloatGraphType>>("low")
            .Description("Low end of the plausible interval.")
            .Resolve(ctx => ctx.Source.IllectronismLow);
        Field<NonNullGraphType<FloatGraphType>>("high")
            .Description("High end of the plausible interval.")
            .Resolve(ctx => ctx.Source.IllectronismHigh);
        Field<NonNullGraphType<FloatGraphType>>("people")
            .Description("Estimated people aged 15+ in illectronism (the people in need of the coverage analysis).")
            .Resolve(ctx => ctx.Source.PeopleInNeed);
        Field<NonNullGraphType<FloatGraphType>>("population15Plus")
            .Description("Estimated people aged 15 or more.")
            .Resolve(ctx => ctx.Source.Population15Plus);
        Field<NonNullGraphType<StringGraphType>>("territoryClass")
            .Description("rural, small-town, large-city or other (density proxies of INSEE's classes).")
            .Resolve(ctx => ctx.Source.TerritoryClass);
        Field<NonNullGraphType<BooleanGraphType>>("imputed")
            .Description("True when a census indicator was missing and the département's mean stood in.")
            .Resolve(ctx => ctx.Source.IllectronismImputed);
    }
}
