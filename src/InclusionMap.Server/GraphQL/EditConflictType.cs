using System.Globalization;
using GraphQL.Types;
using InclusionMap.Server.Moderation;

namespace InclusionMap.Server.GraphQL;

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
