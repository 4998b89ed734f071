using GraphQL;
using GraphQL.Types;
using InclusionMap.Core.OpeningHours;

namespace InclusionMap.Server.GraphQL;

public sealed class OpeningHoursType : ObjectGraphType<SiteHours>
{
    private static readonly string[] Osm = ["Su", "Mo", "Tu", "We", "Th", "Fr", "Sa"];

    public OpeningHoursType()
    {
        Name = "OpeningHours";
        Description = "The schema's horaires (OSM opening_hours), evaluated in the place's local time (Europe/Paris in mainland France) "
            + "with the French public holidays.";
        Field<StringGraphType>("osm").Description("The value as published.").Resolve(ctx => ctx.Source.Hours.Text);
        Field<NonNullGraphType<BooleanGraphType>>("known")
            .Description("False when there is no value or it is not valid opening_hours syntax: then nothing is guessed.")
            .Resolve(ctx => ctx.Source.Hours.IsKnown);
        Field<StringGraphType>("error").Description("Why the value could not be read.").Resolve(ctx => ctx.Source.Hours.Error);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<WeekdayOpeningType>>>>("weekly")
            .Description("The typical week, Monday first.")
            .ListSize(assumedSize: 7)
            .Resolve(ctx => ctx.Source.Hours.Weekly
                .Select(w => new WeekdayOpening(Osm[(int)w.Day], w.Ranges.Select(r => r.ToString()).ToList(), w.Conditional))
                .ToList());
        Field<FloatGraphType>("hoursPerWeek")
            .Description("Average open hours per week over a year.")
            .Resolve(ctx => ctx.Source.Hours.HoursPerWeek);
        Field<BooleanGraphType>("isOpenAt").Description("Open at this instant? Null when the hours are unknown.")
            .Argument<NonNullGraphType<InstantGraphType>>("at")
            .Resolve(ctx => ctx.Source.Hours.IsOpenAt(ctx.GetArgument<DateTimeOffset>("at"),
                FrenchTimeZones.ForDepartement(ctx.Source.DepartementCode), ctx.Source.DepartementCode));
        Field<InstantGraphType>("nextOpening")
            .Description("The next instant it is open at or after 'after' (itself when open then); null when unknown or never.")
            .Argument<NonNullGraphType<InstantGraphType>>("after")
            .Resolve(ctx =>
            {
                var zone = FrenchTimeZones.ForDepartement(ctx.Source.DepartementCode);
                return ctx.Source.Hours.NextOpening(ctx.GetArgument<DateTimeOffset>("after"), zone, ctx.Source.DepartementCode) is { } next
                    ? TimeZoneInfo.ConvertTime(next, zone)
                    : null;
            });
    }
}
