using GraphQL.Types;
using InclusionMap.Data.Moderation;

namespace InclusionMap.Server.GraphQL;

public sealed class ReportResolutionType : EnumerationGraphType
{
    public ReportResolutionType()
    {
        Name = "ReportResolution";
        Add("FIXED", ReportStatus.Fixed, "The place was corrected (edit it with updateSite first).");
        Add("NOT_A_PROBLEM", ReportStatus.NotAProblem, "Nothing was wrong.");
    }
}
