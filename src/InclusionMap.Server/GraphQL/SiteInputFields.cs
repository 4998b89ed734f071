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
