namespace InclusionMap.Client;

/// <summary>What the generator knows of a field (generated into <c>SchemaInfo</c>), used to build and price selections.</summary>
[Flags]
internal enum FieldTraits
{
    None = 0,
    /// <summary>A list: its items' selection counts <see cref="GraphQLFieldInfo.ListMultiplier"/> times.</summary>
    List = 1,
    /// <summary>Has a required argument (e.g. <c>isOpenAt(at:)</c>): never in a default selection.</summary>
    NeedsArguments = 2,
    /// <summary>
    /// Leads to a type the Query serves by itself (a site's commune, a commune's sites), or to a page (a site's
    /// history): not followed by default.
    /// </summary>
    Reference = 4,
    /// <summary>The <c>edges</c> of a connection: its items count as many times as the page's <c>first</c>.</summary>
    PageItems = 8,
    /// <summary>A list of objects with no paging argument (a site's sources): left out of defaults for the items of lists.</summary>
    Unpaged = 16,
}

/// <summary>
/// A field of an object type: its GraphQL name, its C# property, the object type under it (null for a leaf), and what
/// the server's cost model (docs/api-graphql.md, the SDL's <c>@cost</c> and <c>@listSize</c>) counts for it: the items of
/// a list of objects and, when the SDL gives one, its weight.
/// </summary>
internal sealed record GraphQLFieldInfo(string Name, string Property, Type? ObjectType, FieldTraits Traits, int ListMultiplier = 1,
    double? Cost = null)
{
    public bool Has(FieldTraits trait) => (Traits & trait) == trait;

    /// <summary>The field's weight: its <c>@cost</c>, else 0.1 for a leaf and 1 for an object, as the SDL's directive says.</summary>
    public double Weight => Cost ?? (ObjectType is null ? 0.1 : 1);
}
