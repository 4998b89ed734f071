using GraphQL.Types;

namespace InclusionMap.Server.GraphQL;

public sealed class WeekdayOpeningType : ObjectGraphType<WeekdayOpening>
{
    public WeekdayOpeningType()
    {
        Name = "WeekdayOpening";
        Field(x => x.Day).Description("Mo, Tu, We, Th, Fr, Sa or Su (OSM abbreviations).");
        Field(x => x.Ranges).Description("Opening ranges, e.g. \"09:00-12:00\" (an end past 24:00 runs into the next day).");
        Field(x => x.Conditional).Description("True when these hours apply only some weeks or months (e.g. every other week).");
    }
}
