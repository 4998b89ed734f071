namespace InclusionMap.Data.History;

/// <summary>Why a site changed.</summary>
public static class ChangeCause
{
    public const string Sync = "sync", Import = "import", Merge = "merge", Split = "split", Retirement = "retirement",
        Restoration = "restoration", Edit = "edit";
}
