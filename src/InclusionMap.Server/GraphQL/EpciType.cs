using GraphQL.Types;
using InclusionMap.Core.Territories;

namespace InclusionMap.Server.GraphQL;

public sealed class EpciType : ObjectGraphType<Commune>
{
    public EpciType()
    {
        Name = "Epci";
        Field<NonNullGraphType<StringGraphType>>("siren").Resolve(ctx => ctx.Source.EpciSiren);
        Field<StringGraphType>("name").Resolve(ctx => ctx.Source.EpciNom);
    }
}
