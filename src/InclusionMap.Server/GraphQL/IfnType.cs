using GraphQL.Types;
using InclusionMap.Core.Territories;

namespace InclusionMap.Server.GraphQL;

/// <summary>La Mednum's Indice de Fragilité Numérique: shown beside our estimate, never mixed into it.</summary>
public sealed class IfnType : ObjectGraphType<Commune>
{
    public IfnType()
    {
        Name = "FragiliteNumerique";
        Description = "Indice de Fragilité Numérique (La Mednum, fragilite-numerique.fr): a 0–10 risk score (10 = most fragile), "
            + "not a rate of people. Attribution: « Indice de Fragilité Numérique — La Mednum ».";
        Field<NonNullGraphType<FloatGraphType>>("total").Resolve(ctx => ctx.Source.IfnTotal);
        Field<FloatGraphType>("noVeryHighSpeedCoverage").Resolve(ctx => ctx.Source.IfnNoThdCoverage);
        Field<FloatGraphType>("no4gCoverage").Resolve(ctx => ctx.Source.IfnNo4gCoverage);
        Field<FloatGraphType>("poverty").Resolve(ctx => ctx.Source.IfnPoverty);
        Field<FloatGraphType>("older65").Resolve(ctx => ctx.Source.IfnOlder65);
        Field<FloatGraphType>("lowDiploma").Resolve(ctx => ctx.Source.IfnLowDiploma);
        Field<NonNullGraphType<StringGraphType>>("attribution").Resolve(_ => "Indice de Fragilité Numérique — La Mednum");
    }
}
