using GraphQL.Types;

namespace InclusionMap.Server.GraphQL;

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
