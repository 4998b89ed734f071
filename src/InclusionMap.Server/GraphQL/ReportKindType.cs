using GraphQL.Types;
using InclusionMap.Data.Moderation;

namespace InclusionMap.Server.GraphQL;

public sealed class ReportKindType : EnumerationGraphType<ReportKind>
{
    public ReportKindType()
    {
        Name = "ReportKind";
        Description = "What is wrong with a place: closed for good, wrong hours, wrong address or position, wrong phone or e-mail, other.";
    }
}
