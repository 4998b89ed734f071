using GraphQL.Types;
using InclusionMap.Data.Moderation;

namespace InclusionMap.Server.GraphQL;

public sealed class ReportStatusType : EnumerationGraphType<ReportStatus>
{
    public ReportStatusType()
    {
        Name = "ReportStatus";
        Description = "OPEN in the queue; FIXED (the place was corrected) or NOT_A_PROBLEM once a coordinator resolved it.";
    }
}
