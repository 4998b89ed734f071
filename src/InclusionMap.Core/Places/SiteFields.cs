using System.Collections.Frozen;
using System.Reflection;

namespace InclusionMap.Core.Places;

/// <summary>
/// The registry of a site's published fields, read once from the <see cref="FieldAttribute"/> properties of
/// <see cref="Site"/>, in declaration order. GraphQL types, the OData model, query projections, readers and JSON
/// writers are all built from it.
/// </summary>
public static class SiteFields
{
    public static IReadOnlyList<SiteField> All { get; } = typeof(Site)
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.GetCustomAttribute<FieldAttribute>() is not null)
        .OrderBy(p => p.MetadataToken)
        .Select(p => new SiteField(p, p.GetCustomAttribute<FieldAttribute>()!))
        .ToList();

    public static FrozenDictionary<string, SiteField> ByName { get; } = All.ToFrozenDictionary(f => f.Name, StringComparer.Ordinal);

    public static FrozenDictionary<string, SiteField> ByGraphQLName { get; } =
        All.ToFrozenDictionary(f => f.GraphQLName, StringComparer.Ordinal);

    /// <summary>The fields that carry a field of the national schema, by schema name.</summary>
    public static FrozenDictionary<string, SiteField> BySchemaName { get; } =
        All.Where(f => f.Schema is not null).ToFrozenDictionary(f => f.Schema!, StringComparer.Ordinal);

    public static SiteField Id { get; } = ByName[nameof(Site.Id)];
    public static SiteField Location { get; } = ByName[nameof(Site.Location)];
}
