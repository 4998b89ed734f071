namespace InclusionMap.Data;

/// <summary>A setting the catalogue keeps between runs (e.g. the deduplication threshold last chosen).</summary>
public class CatalogueSetting
{
    public const string DedupNameThreshold = "dedup.name_threshold";
    public string Key { get; set; } = "";
    public string Value { get; set; } = "";
}
