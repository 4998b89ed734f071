using GraphQL.Types;
using InclusionMap.Data.Sources;

namespace InclusionMap.Server.GraphQL;

/// <summary>A producer the catalogue follows, with what its last sync found (<c>/sources</c> shows the same).</summary>
public sealed class SourceType : ObjectGraphType<SourceView>
{
    public SourceType()
    {
        Name = "Source";
        Description = "A producer the catalogue follows, and what its last sync found.";
        Field<NonNullGraphType<StringGraphType>>("name").Resolve(ctx => ctx.Source.Source.Name);
        Field<StringGraphType>("url").Description("Where its file is published (http or https; null for a file on the server).")
            .Resolve(ctx => Uri.TryCreate(ctx.Source.Source.Url, UriKind.Absolute, out var u) && u.Scheme is "http" or "https"
                ? ctx.Source.Source.Url
                : null);
        Field<NonNullGraphType<StringGraphType>>("format").Resolve(ctx => ctx.Source.Source.Format);
        Field<NonNullGraphType<StringGraphType>>("dataset").Resolve(ctx => ctx.Source.Source.Dataset);
        Field<StringGraphType>("schedule")
            .Description("A cron schedule in timeZone; null: synced only when asked.")
            .Resolve(ctx => ctx.Source.Source.Schedule);
        Field<NonNullGraphType<StringGraphType>>("timeZone").Resolve(ctx => ctx.Source.Source.TimeZone);
        Field<StringGraphType>("owner").Resolve(ctx => ctx.Source.Source.Owner);
        Field<StringGraphType>("licence").Resolve(ctx => ctx.Source.Source.Licence);
        Field<StringGraphType>("attribution").Resolve(ctx => ctx.Source.Source.Attribution);
        Field<DateTimeOffsetGraphType>("lastSync").Description("When its last sync began.").Resolve(ctx => ctx.Source.Source.LastAttemptAt);
        Field<DateTimeOffsetGraphType>("lastSuccess").Description("When the catalogue was last found current with its file.")
            .Resolve(ctx => ctx.Source.Source.LastSuccessAt);
        Field<NonNullGraphType<StringGraphType>>("status")
            .Description("never, applied, unchanged, unreachable or flagged (a person should look).")
            .Resolve(ctx => ctx.Source.Source.Status);
        Field<StringGraphType>("message").Description("What the last sync found, in a sentence.").Resolve(ctx => ctx.Source.Source.Message);
        Field<IntGraphType>("read").Description("Records read from its last file.").Resolve(ctx => ctx.Source.LastRun?.Read);
        Field<IntGraphType>("inserted").Description("New records in its last file.").Resolve(ctx => ctx.Source.LastRun?.Inserted);
        Field<IntGraphType>("updated").Description("Records its last file changed.").Resolve(ctx => ctx.Source.LastRun?.Updated);
        Field<IntGraphType>("retired").Description("Records its last file no longer held.").Resolve(ctx => ctx.Source.LastRun?.Retired);
        Field<IntGraphType>("restored")
            .Description("Retired records its last file held again.")
            .Resolve(ctx => ctx.Source.LastRun?.Restored);
        Field<IntGraphType>("rejected")
            .Description("Rows of its last file refused by validation.")
            .Resolve(ctx => ctx.Source.LastRun?.Rejected);
        Field<StringGraphType>("reportUrl").Description("The report of its last file (a path on this server).")
            .Resolve(ctx => ctx.Source.Source.LastRunId is null
                ? null
                : $"/sources/{Uri.EscapeDataString(ctx.Source.Source.Name)}/report.json");
    }
}
