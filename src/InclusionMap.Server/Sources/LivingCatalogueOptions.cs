using System.ComponentModel.DataAnnotations;

namespace InclusionMap.Server.Sources;

/// <summary>The server's own upkeep of the catalogue (configuration section <c>InclusionMap:Living</c>).</summary>
public sealed class LivingCatalogueOptions
{
    public const string Section = "InclusionMap:Living";

    /// <summary>Whether this server runs the sources' scheduled syncs (several servers may: one sync at a time across them).</summary>
    public bool ScheduledSyncs { get; set; } = true;

    /// <summary>How often the server looks for a source that is due, in seconds.</summary>
    [Range(1, 3600)]
    public int SyncCheckSeconds { get; set; } = 60;

    /// <summary>With the embedded cluster: a backup a day in the state directory's <c>backups/</c>.</summary>
    public bool DailyBackups { get; set; } = true;

    /// <summary>How many daily backups are kept (the oldest go).</summary>
    [Range(1, 365)]
    public int BackupsKept { get; set; } = 7;
}
