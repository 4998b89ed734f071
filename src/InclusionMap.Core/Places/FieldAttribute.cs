namespace InclusionMap.Core.Places;

/// <summary>
/// Marks a property of <see cref="Site"/> as a published field of the catalogue; <see cref="SiteFields"/> derives the
/// rest (column, GraphQL and OData names and types, JSON) from the property and this attribute.
/// </summary>
/// <param name="description">What the field holds, shown in the GraphQL schema and the docs.</param>
[AttributeUsage(AttributeTargets.Property)]
public sealed class FieldAttribute(string description) : Attribute
{
    public string Description { get; } = description;

    /// <summary>The national schema v1.0.2 field the property carries (null for the catalogue's own fields).</summary>
    public string? Schema { get; init; }

    /// <summary>The vocabulary enum whose official labels the list holds (e.g. <see cref="Schema.Service"/>).</summary>
    public Type? Vocabulary { get; init; }

    /// <summary>Long free text: counted as a costlier field by the GraphQL cost limit.</summary>
    public bool Heavy { get; init; }
}
