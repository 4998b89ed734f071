using GraphQL.Types;

namespace InclusionMap.Server.GraphQL;

public sealed class ResolveReportInputType : InputObjectGraphType
{
    public ResolveReportInputType()
    {
        Name = "ResolveReportInput";
        Field<NonNullGraphType<IdGraphType>>("id");
        Field<NonNullGraphType<ReportResolutionType>>("resolution");
        Field<StringGraphType>("answer").Description("Mailed to every reporter who left an address; their addresses are then erased.");
    }
}
