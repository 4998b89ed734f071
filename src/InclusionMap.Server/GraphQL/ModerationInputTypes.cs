using GraphQL.Types;
using InclusionMap.Core.Places;
using InclusionMap.Core.Schema;
using InclusionMap.Data.Moderation;
using InclusionMap.Server.Moderation;
using NetTopologySuite.Geometries;

namespace InclusionMap.Server.GraphQL;

/// <summary>
/// The editable fields of a place as input fields, derived from the registry like <see cref="SiteType"/>'s (same names,
/// vocabularies as their enums, the position as a <c>GeoPointInput</c>), and their values read back as the registry
/// types them (<see cref="SiteValues"/> checks them).
/// </summary>
public static class SiteInputFields
{
    /// <summary>Adds every editable field (<paramref name="required"/> non-null, the others optional), but those <paramref
    /// name="except"/>.</summary>
    public static void Add(InputObjectGraphType type, IReadOnlySet<string>? required = null, IReadOnlySet<string>? except = null)
    {
        foreach (var field in SiteEdits.Editable.Where(f => except?.Contains(f.GraphQLName) != true))
        {
            var graphType = field.Kind switch
            {
                SiteFieldKind.Point => typeof(GeoPointInputType),
                _ => Nullable(SiteType.GraphTypeOf(field)),
            };
            if (required?.Contains(field.GraphQLName) == true) graphType = typeof(NonNullGraphType<>).MakeGenericType(graphType);
            type.Field(field.GraphQLName, graphType).Description($"{EditableFields.Label(field.GraphQLName)}. {field.Description}");
        }
    }

    /// <summary>The registry fields given in an input object, with their values typed for <see cref="SiteValues"/>.</summary>
    public static Dictionary<SiteField, object?> Read(IDictionary<string, object?> input)
    {
        var values = new Dictionary<SiteField, object?>();
        foreach (var (name, value) in input)
        {
            if (!EditableFields.ByName.TryGetValue(name, out var field)) continue;
            values[field] = field.Kind switch
            {
                SiteFieldKind.Point => value is IDictionary<string, object?> p
                    ? SiteValues.Position(Convert.ToDouble(p["latitude"], System.Globalization.CultureInfo.InvariantCulture),
                        Convert.ToDouble(p["longitude"], System.Globalization.CultureInfo.InvariantCulture))
                    : (Point?)null,
                SiteFieldKind.TextList => value is IEnumerable<object?> items
                    ? items.Select(i => i is Enum e ? Label(e) : i?.ToString() ?? "").ToList()
                    : null,
                _ => value,
            };
        }
        return values;
    }

    /// <summary>The official label of a vocabulary value.</summary>
    public static string Label(Enum value) => VocabularyLabels.ValuesByLabel(value.GetType()).First(kv => kv.Value.Equals(value)).Key;

    private static Type Nullable(Type type) => type.IsGenericType && type.GetGenericTypeDefinition() == typeof(NonNullGraphType<>)
        ? type.GetGenericArguments()[0]
        : type;
}

public sealed class ReportKindType : EnumerationGraphType<ReportKind>
{
    public ReportKindType()
    {
        Name = "ReportKind";
        Description = "What is wrong with a place: closed for good, wrong hours, wrong address or position, wrong phone or e-mail, other.";
    }
}

public sealed class ReportStatusType : EnumerationGraphType<ReportStatus>
{
    public ReportStatusType()
    {
        Name = "ReportStatus";
        Description = "OPEN in the queue; FIXED (the place was corrected) or NOT_A_PROBLEM once a coordinator resolved it.";
    }
}

public sealed class SuggestionStatusType : EnumerationGraphType<SuggestionStatus>
{
    public SuggestionStatusType() => Name = "SuggestionStatus";
}

public sealed class ReportProblemInputType : InputObjectGraphType
{
    public ReportProblemInputType()
    {
        Name = "ReportProblemInput";
        Description = "A problem on a place, as a resident reports it (no account needed).";
        Field<NonNullGraphType<IdGraphType>>("siteId");
        Field<NonNullGraphType<ReportKindType>>("kind");
        Field<StringGraphType>("message").Description("What is wrong, in the resident's words (2,000 characters at most).");
        Field<StringGraphType>("email").Description("Optional: an address to be told what was done (kept until the report is resolved).");
    }
}

public sealed class SuggestPlaceInputType : InputObjectGraphType
{
    public static readonly IReadOnlySet<string> Required = new HashSet<string> { "nom", "adresse", "codePostal", "communeName" };

    public SuggestPlaceInputType()
    {
        Name = "SuggestPlaceInput";
        Description = "A place to add, with the national schema's main fields (no account needed). Without a position, the place is put at "
            + "the centre of its commune, found from codeInsee, or from codePostal and communeName.";
        SiteInputFields.Add(this, Required, new HashSet<string> { "temporarilyClosedFrom", "temporarilyClosedUntil" });
        Field<StringGraphType>("message").Description("Anything the coordinators should know (2,000 characters at most).");
        Field<StringGraphType>("email").Description("Optional: an address to be told whether the place was added.");
    }
}

public sealed class UpdateSiteInputType : InputObjectGraphType
{
    public UpdateSiteInputType()
    {
        Name = "UpdateSiteInput";
        Description = "The fields of a place to change; a field left out stays as it is, a field set to null is cleared. A structure may "
            + "change horaires, services, telephone, courriels, siteWeb, priseRdv and the temporary closure of its own place.";
        Field<NonNullGraphType<IdGraphType>>("id");
        SiteInputFields.Add(this);
    }
}

public sealed class ReportResolutionType : EnumerationGraphType
{
    public ReportResolutionType()
    {
        Name = "ReportResolution";
        Add("FIXED", ReportStatus.Fixed, "The place was corrected (edit it with updateSite first).");
        Add("NOT_A_PROBLEM", ReportStatus.NotAProblem, "Nothing was wrong.");
    }
}

public sealed class ResolveReportInputType : InputObjectGraphType
{
    public ResolveReportInputType()
    {
        Name = "ResolveReportInput";
        Field<NonNullGraphType<IdGraphType>>("id");
        Field<NonNullGraphType<ReportResolutionType>>("resolution");
        Field<StringGraphType>("answer").Description("Mailed to every reporter who left an address; their addresses are then erased.");
    }
}

public sealed class SuggestionDecisionInputType : InputObjectGraphType
{
    public SuggestionDecisionInputType()
    {
        Name = "SuggestionDecisionInput";
        Field<NonNullGraphType<IdGraphType>>("id");
        Field<StringGraphType>("answer")
            .Description("Mailed to the resident if they left an address (who is told the decision either way).");
    }
}

public sealed class ConflictChoiceType : EnumerationGraphType
{
    public ConflictChoiceType()
    {
        Name = "ConflictChoice";
        Add("EDITED", true, "Keep the edited value: it wins again, until a still newer source record.");
        Add("SOURCE", false, "Keep the source's newer value: the edit is dismissed.");
    }
}

public sealed class ResolveConflictInputType : InputObjectGraphType
{
    public ResolveConflictInputType()
    {
        Name = "ResolveConflictInput";
        Field<NonNullGraphType<IdGraphType>>("siteId");
        Field<NonNullGraphType<StringGraphType>>("field").Description("The field's GraphQL name, as the conflict gives it.");
        Field<NonNullGraphType<ConflictChoiceType>>("keep");
    }
}

public sealed class ClaimSiteInputType : InputObjectGraphType
{
    public ClaimSiteInputType()
    {
        Name = "ClaimSiteInput";
        Field<NonNullGraphType<IdGraphType>>("siteId");
        Field<NonNullGraphType<StringGraphType>>("email")
            .Description("One of the place's courriels: the link to manage it is mailed there.");
    }
}
