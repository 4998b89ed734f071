using System.Globalization;
using GraphQL.Types;
using InclusionMap.Server.Moderation;

namespace InclusionMap.Server.GraphQL;

public sealed class ReportType : ObjectGraphType<QueueReport>
{
    public ReportType()
    {
        Name = "Report";
        Description = "Reports of one kind of problem on one place: while open, new reports of the same kind join it (count).";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(ctx => ctx.Source.Report.Id.ToString(CultureInfo.InvariantCulture));
        Field<NonNullGraphType<IdGraphType>>("siteId").Resolve(ctx => ctx.Source.Report.SiteId.ToString(CultureInfo.InvariantCulture));
        Field<StringGraphType>("siteName").Description("Null when the place is gone (merged into another).")
            .Resolve(ctx => ctx.Source.SiteName);
        Field<StringGraphType>("communeName").Resolve(ctx => ctx.Source.CommuneName);
        Field<StringGraphType>("departementCode").Resolve(ctx => ctx.Source.Report.DepartementCode);
        Field<NonNullGraphType<ReportKindType>>("kind").Resolve(ctx => ctx.Source.Report.Kind);
        Field<NonNullGraphType<IntGraphType>>("count").Resolve(ctx => ctx.Source.Report.Count);
        Field<NonNullGraphType<ReportStatusType>>("status").Resolve(ctx => ctx.Source.Report.Status);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("firstReportedAt").Resolve(ctx => ctx.Source.Report.FirstReportedAt);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("lastReportedAt").Resolve(ctx => ctx.Source.Report.LastReportedAt);
        Field<DateTimeOffsetGraphType>("resolvedAt").Resolve(ctx => ctx.Source.Report.ResolvedAt);
        Field<StringGraphType>("answer").Resolve(ctx => ctx.Source.Report.Answer);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ReportMessageType>>>>("messages").Resolve(ctx => ctx.Source.Report.Entries);
    }
}
