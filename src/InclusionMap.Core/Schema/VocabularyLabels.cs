using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Reflection;

namespace InclusionMap.Core.Schema;

/// <summary>
/// The labels of a vocabulary known only at run time (a field of the registry names its vocabulary by type); the
/// same table as <see cref="Vocabulary{T}"/>.
/// </summary>
public static class VocabularyLabels
{
    private static readonly ConcurrentDictionary<Type, FrozenDictionary<string, Enum>> Tables = new();

    /// <summary>Official label → value of the vocabulary enum <paramref name="vocabulary"/>.</summary>
    public static FrozenDictionary<string, Enum> ValuesByLabel(Type vocabulary) => Tables.GetOrAdd(vocabulary, static type =>
    {
        if (!type.IsEnum) throw new ArgumentException($"{type.Name} is not a vocabulary enum.", nameof(vocabulary));
        return type.GetFields(BindingFlags.Public | BindingFlags.Static).ToFrozenDictionary(
            f => f.GetCustomAttribute<LabelAttribute>()?.Label ?? f.Name, f => (Enum)f.GetValue(null)!, StringComparer.Ordinal);
    });

    /// <summary>The values of <paramref name="labels"/>, skipping any that is not an official label.</summary>
    public static IEnumerable<Enum> Values(Type vocabulary, IEnumerable<string> labels)
    {
        var table = ValuesByLabel(vocabulary);
        return labels.Select(l => table.GetValueOrDefault(l)).OfType<Enum>();
    }
}
