using GraphQL.Types;
using InclusionMap.Core.Places;
using InclusionMap.Core.Schema;

namespace InclusionMap.Server.GraphQL;

/// <summary>
/// A vocabulary of the national schema as a GraphQL enum named after its C# type (<c>Service</c>), with values in
/// CONSTANT_CASE (<c>AIDE_AUX_DEMARCHES_ADMINISTRATIVES</c>), each described by its official French label, which the
/// <c>vocabularies</c> query also lists. The site field that holds it (the registry) gives its description.
/// </summary>
public sealed class VocabularyEnumType<T> : EnumerationGraphType<T> where T : struct, Enum
{
    public VocabularyEnumType()
    {
        Name = typeof(T).Name;
        var field = SiteFields.All.First(f => f.Vocabulary == typeof(T));
        Description = $"{field.Schema} in the national schema {SchemaV1.Version}: {field.Description}";
        foreach (var value in Values) value.Description = Vocabulary<T>.Label((T)value.Value!);
    }
}

/// <summary>The GraphQL enum types of the vocabularies known at run time (a registry field names its vocabulary by type).</summary>
public static class VocabularyEnumType
{
    /// <summary>The closed <see cref="VocabularyEnumType{T}"/> of <paramref name="vocabulary"/>, for field and argument types.</summary>
    public static Type For(Type vocabulary) => typeof(VocabularyEnumType<>).MakeGenericType(vocabulary);

    /// <summary>Registers the enum type of every vocabulary of the registry.</summary>
    public static IServiceCollection AddVocabularyEnums(this IServiceCollection services)
    {
        foreach (var vocabulary in SiteFields.All.Select(f => f.Vocabulary).OfType<Type>().Distinct())
            services.AddSingleton(For(vocabulary));
        return services;
    }
}
