using System.Linq.Expressions;
using System.Reflection;

namespace InclusionMap.Core.Places;

/// <summary>One published field of a <see cref="Site"/>, derived from its property and <see cref="FieldAttribute"/>.</summary>
public sealed class SiteField
{
    private static readonly NullabilityInfoContext Nullability = new();

    internal SiteField(PropertyInfo property, FieldAttribute field)
    {
        Property = property;
        Description = field.Description;
        Schema = field.Schema;
        Vocabulary = field.Vocabulary;
        Heavy = field.Heavy;
        Kind = KindOf(property);
        Nullable = Kind is not (SiteFieldKind.TextList) && Nullability.Create(property).ReadState == NullabilityState.Nullable;
        Column = SnakeCase(property.Name);
        GraphQLName = char.ToLowerInvariant(property.Name[0]) + property.Name[1..];
        var site = Expression.Parameter(typeof(Site), "site");
        Get = Expression.Lambda<Func<Site, object?>>(
            Expression.Convert(Expression.Property(site, property), typeof(object)), site).Compile();
        var value = Expression.Parameter(typeof(object), "value");
        Set = Expression.Lambda<Action<Site, object?>>(
            Expression.Assign(Expression.Property(site, property), Expression.Convert(value, property.PropertyType)), site, value)
            .Compile();
    }

    /// <summary>The property of <see cref="Site"/> (its name is also the OData name).</summary>
    public PropertyInfo Property { get; }
    public string Name => Property.Name;
    public Type ClrType => Property.PropertyType;
    public string Description { get; }
    /// <summary>The national schema field carried, or null.</summary>
    public string? Schema { get; }
    /// <summary>The vocabulary enum of a list of official labels, or null.</summary>
    public Type? Vocabulary { get; }
    public bool Heavy { get; }
    public SiteFieldKind Kind { get; }
    /// <summary>Whether a site may have no value (lists are never null: empty).</summary>
    public bool Nullable { get; }
    /// <summary>The column of the <c>sites</c> table (the EF model's snake_case naming; a test checks they agree).</summary>
    public string Column { get; }
    public string GraphQLName { get; }
    public Func<Site, object?> Get { get; }
    public Action<Site, object?> Set { get; }

    public override string ToString() => Name;

    private static SiteFieldKind KindOf(PropertyInfo property)
    {
        var type = System.Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        return type switch
        {
            _ when property.Name == nameof(Site.Id) => SiteFieldKind.Id,
            _ when type == typeof(string) => SiteFieldKind.Text,
            _ when type == typeof(double) => SiteFieldKind.Number,
            _ when type == typeof(DateOnly) => SiteFieldKind.Date,
            _ when type == typeof(DateTimeOffset) => SiteFieldKind.Instant,
            _ when type == typeof(List<string>) => SiteFieldKind.TextList,
            _ when type == typeof(NetTopologySuite.Geometries.Point) => SiteFieldKind.Point,
            _ => throw new InvalidOperationException(
                $"Site.{property.Name}: a field of type {type.Name} has no kind; add one to SiteFieldKind."),
        };
    }

    /// <summary><c>CommuneName</c> → <c>commune_name</c>, as EFCore.NamingConventions names columns.</summary>
    public static string SnakeCase(string name)
    {
        var builder = new System.Text.StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c) && i > 0 && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]))))
                builder.Append('_');
            builder.Append(char.ToLowerInvariant(c));
        }
        return builder.ToString();
    }
}
