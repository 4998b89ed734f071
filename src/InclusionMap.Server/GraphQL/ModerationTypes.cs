using System.Globalization;
using GraphQL.Types;
using InclusionMap.Data.Moderation;
using InclusionMap.Server.Moderation;

namespace InclusionMap.Server.GraphQL;

public sealed class ContributionReceiptType : ObjectGraphType<Receipt>
{
    public ContributionReceiptType()
    {
        Name = "ContributionReceipt";
        Description = "What a report, a suggestion or a claim answers: a number to quote and a French message for the person.";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(ctx => ctx.Source.Id.ToString(CultureInfo.InvariantCulture));
        Field<NonNullGraphType<StringGraphType>>("message").Resolve(ctx => ctx.Source.Message);
    }
}

public sealed class ReportMessageType : ObjectGraphType<ReportEntry>
{
    public ReportMessageType()
    {
        Name = "ReportMessage";
        Description = "One report joined to the item: when, and what the resident wrote (their address is never shown).";
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("at").Resolve(ctx => ctx.Source.At);
        Field<StringGraphType>("message").Resolve(ctx => ctx.Source.Message);
        Field<NonNullGraphType<BooleanGraphType>>("canBeAnswered")
            .Description("The resident left an address: resolveReport's answer reaches them.")
            .Resolve(ctx => ctx.Source.Email is not null);
    }
}

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

public sealed class RecordFieldType : ObjectGraphType<KeyValuePair<string, string?>>
{
    public RecordFieldType()
    {
        Name = "RecordField";
        Description = "A field of a national schema record: its schema name and text (lists joined with |).";
        Field<NonNullGraphType<StringGraphType>>("name").Resolve(ctx => ctx.Source.Key);
        Field<StringGraphType>("value").Resolve(ctx => ctx.Source.Value);
    }
}

public sealed class SuggestionType : ObjectGraphType<Suggestion>
{
    public SuggestionType()
    {
        Name = "Suggestion";
        Description = "A place a resident proposed, checked as an imported record would be.";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(ctx => ctx.Source.Id.ToString(CultureInfo.InvariantCulture));
        Field<NonNullGraphType<SuggestionStatusType>>("status").Resolve(ctx => ctx.Source.Status);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("createdAt").Resolve(ctx => ctx.Source.CreatedAt);
        Field<StringGraphType>("departementCode").Resolve(ctx => ctx.Source.DepartementCode);
        Field<StringGraphType>("communeCode").Resolve(ctx => ctx.Source.CommuneCode);
        Field<StringGraphType>("nom").Resolve(ctx => ctx.Source.Record.GetValueOrDefault("nom"));
        Field<StringGraphType>("adresse").Resolve(ctx => ctx.Source.Record.GetValueOrDefault("adresse"));
        Field<StringGraphType>("codePostal").Resolve(ctx => ctx.Source.Record.GetValueOrDefault("code_postal"));
        Field<StringGraphType>("communeName").Resolve(ctx => ctx.Source.Record.GetValueOrDefault("commune"));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<RecordFieldType>>>>("record")
            .Description("Every field given, as the schema names it.")
            .Resolve(ctx => ctx.Source.Record.Where(kv => kv.Value is not null).ToList());
        Field<StringGraphType>("message").Resolve(ctx => ctx.Source.Message);
        Field<NonNullGraphType<BooleanGraphType>>("canBeAnswered").Resolve(ctx => ctx.Source.Email is not null);
        Field<StringGraphType>("answer").Resolve(ctx => ctx.Source.Answer);
        Field<IdGraphType>("siteId").Description("The place created when it was accepted.")
            .Resolve(ctx => ctx.Source.SiteId?.ToString(CultureInfo.InvariantCulture));
    }
}

public sealed class EditConflictType : ObjectGraphType<QueueConflict>
{
    public EditConflictType()
    {
        Name = "EditConflict";
        Description = "An edited field that a source contradicts with a newer record (a newer date_maj): the source's value is in force "
            + "until a coordinator chooses (resolveConflict).";
        Field<NonNullGraphType<IdGraphType>>("siteId").Resolve(ctx => ctx.Source.Edit.SiteId.ToString(CultureInfo.InvariantCulture));
        Field<NonNullGraphType<StringGraphType>>("siteName").Resolve(ctx => ctx.Source.SiteName);
        Field<StringGraphType>("departementCode").Resolve(ctx => ctx.Source.DepartementCode);
        Field<NonNullGraphType<StringGraphType>>("field").Resolve(ctx => ctx.Source.Edit.Field);
        Field<NonNullGraphType<StringGraphType>>("label").Description("The field's French label.")
            .Resolve(ctx => EditableFields.Label(ctx.Source.Edit.Field));
        Field<StringGraphType>("editedValue").Resolve(ctx => ctx.Source.Edit.Value);
        Field<StringGraphType>("sourceValue").Resolve(ctx => ctx.Source.Edit.SourceValue);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("editedAt").Resolve(ctx => ctx.Source.Edit.EditedAt);
        Field<NonNullGraphType<StringGraphType>>("editedBy").Resolve(ctx => ctx.Source.Edit.Actor);
        Field<DateTimeOffsetGraphType>("detectedAt").Resolve(ctx => ctx.Source.Edit.ConflictAt);
    }
}

public sealed class ModerationQueueType : ObjectGraphType<ModerationQueue>
{
    public ModerationQueueType()
    {
        Name = "ModerationQueue";
        Description = "The open items of a coordinator's départements.";
        Field<ListGraphType<NonNullGraphType<StringGraphType>>>("departements")
            .Description("The départements covered; null: every one (an admin).")
            .Resolve(ctx => ctx.Source.Departements);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ReportType>>>>("reports")
            .Description("Open reports, most reported first, then newest.")
            .Resolve(ctx => ctx.Source.Reports);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<SuggestionType>>>>("suggestions")
            .Description("Open suggestions, newest first.")
            .Resolve(ctx => ctx.Source.Suggestions);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<EditConflictType>>>>("conflicts")
            .Description("Edits a newer source record contradicts.")
            .Resolve(ctx => ctx.Source.Conflicts);
    }
}
