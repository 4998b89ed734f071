using Microsoft.Extensions.Caching.Memory;

namespace InclusionMap.Data.Sites;

/// <summary>
/// Opening hours parsed once per distinct text: producers repeat the same few hundred values, and every search with
/// <c>openAt</c> and every <c>openingHours</c> field evaluates them. Bounded by entry count.
/// </summary>
public static class OpeningHoursCache
{
    public const int MaxEntries = 50_000;

    private static readonly MemoryCache Parsed = new(new MemoryCacheOptions { SizeLimit = MaxEntries });

    public static Core.OpeningHours.OpeningHours Parse(string? horaires)
    {
        if (horaires is null) return Core.OpeningHours.OpeningHours.Parse(null);
        return Parsed.GetOrCreate(horaires, entry =>
        {
            entry.Size = 1;
            return Core.OpeningHours.OpeningHours.Parse(horaires);
        })!;
    }
}
