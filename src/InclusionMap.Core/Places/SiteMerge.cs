using InclusionMap.Core.Schema;

namespace InclusionMap.Core.Places;

/// <summary>
/// Builds the record of a site from all the source records merged into it (docs/deduplication.md). Sources are ranked
/// by most recent <c>date_maj</c>, then most complete (most fields given), then oldest in the catalogue. Each single-valued
/// field comes from the best-ranked source that gives it; coordinates come as a pair. Lists that are attestations
/// (services, publics, needs taken care of, programmes, labels, access and support modes, structure types, e-mails,
/// websites, itinerance) are the union of every source, in rank order: one source knowing a service is enough.
/// Nothing is lost: the source records themselves stay in <c>site_sources</c>.
/// </summary>
public static class SiteMerge
{
    public static readonly IReadOnlySet<string> UnionFields = new HashSet<string>(StringComparer.Ordinal)
    {
        "typologie", "courriels", "site_web", "itinerance", "services", "publics_specifiquement_adresses", "prise_en_charge_specifique",
        "dispositif_programmes_nationaux", "formations_labels", "autres_formations_labels", "modalites_acces", "modalites_accompagnement",
    };

    public static IReadOnlyList<MergeSource> Rank(IEnumerable<MergeSource> sources) =>
        sources.OrderByDescending(s => s.DateMaj)
            .ThenByDescending(s => s.Record.Values.Count(v => v.Value is not null))
            .ThenBy(s => s.SourceId)
            .ToList();

    public static SchemaV1Record Combine(IEnumerable<MergeSource> sources)
    {
        var ranked = Rank(sources);
        if (ranked.Count == 0) throw new ArgumentException("A site has at least one source.", nameof(sources));
        var result = new SchemaV1Record();
        foreach (var field in SchemaV1.Fields.Select(f => f.Name))
        {
            if (field is "latitude" or "longitude") continue;
            if (UnionFields.Contains(field)) result.SetMany(field, ranked.SelectMany(s => s.Record.GetMany(field)));
            else result[field] = ranked.Select(s => s.Record[field]).FirstOrDefault(v => v is not null);
        }
        var located = ranked.FirstOrDefault(s => s.Record["latitude"] is not null && s.Record["longitude"] is not null);
        result["latitude"] = located?.Record["latitude"];
        result["longitude"] = located?.Record["longitude"];
        // date_maj of a merged site: the most recent of its sources (the best-ranked one's).
        return result;
    }
}
