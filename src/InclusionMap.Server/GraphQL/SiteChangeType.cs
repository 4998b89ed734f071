using GraphQL.Types;
using InclusionMap.Data.History;

namespace InclusionMap.Server.GraphQL;

public sealed class SiteChangeType : ObjectGraphType<SiteChange>
{
    public SiteChangeType()
    {
        Name = "SiteChange";
        Description = "One change of a site: a field's old and new value, or an event (created, merged, split) without a field.";
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("at").Resolve(ctx => ctx.Source.At);
        Field(x => x.Actor).Description("Who: sync:NAME (a source's sync), import, dedup, later a person.");
        Field(x => x.Cause).Description("Why: sync, import, merge, split, retirement, restoration or edit.");
        Field(x => x.Dataset, nullable: true).Description("The dataset whose record caused it, when one did.");
        Field(x => x.Field, nullable: true).Description("The field changed (its GraphQL name); null for an event.");
        Field(x => x.OldValue, nullable: true)
            .Description("Lists joined with |, dates yyyy-MM-dd, instants ISO 8601, the position as WKT.");
        Field(x => x.NewValue, nullable: true).Description("For an event, what happened (e.g. merged into site 42).");
    }
}
