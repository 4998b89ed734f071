using System.Globalization;
using GraphQL.Types;
using InclusionMap.Data.Moderation;

namespace InclusionMap.Server.GraphQL;

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
