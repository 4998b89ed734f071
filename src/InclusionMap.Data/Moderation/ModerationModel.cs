using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace InclusionMap.Data.Moderation;

/// <summary>
/// The moderation tables in the catalogue's model: <c>reports</c> and <c>report_entries</c>, <c>suggestions</c> and
/// <c>site_edits</c>. Statuses and kinds are stored as their names. Partial unique indexes make the rules hold under
/// concurrent requests: one open report per place and kind (new reports join it), one edit in force per place and field.
/// </summary>
public static class ModerationModel
{
    public static void Configure(ModelBuilder model)
    {
        model.Entity<Report>(report =>
        {
            report.ToTable("reports");
            report.Property(r => r.Kind).HasConversion<string>().HasMaxLength(32);
            report.Property(r => r.Status).HasConversion<string>().HasMaxLength(32);
            report.HasIndex(r => new { r.SiteId, r.Kind }).IsUnique().HasFilter("status = 'Open'");
            report.HasIndex(r => new { r.DepartementCode, r.Status });
            report.HasMany(r => r.Entries).WithOne().HasForeignKey(e => e.ReportId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<ReportEntry>(entry => entry.ToTable("report_entries"));

        model.Entity<Suggestion>(suggestion =>
        {
            suggestion.ToTable("suggestions");
            suggestion.Property(s => s.Status).HasConversion<string>().HasMaxLength(32);
            suggestion.Property(s => s.Record).HasColumnType("jsonb").HasConversion(
                new ValueConverter<Dictionary<string, string?>, string>(
                    v => System.Text.Json.JsonSerializer.Serialize(v, CatalogueDbContext.JsonOptions),
                    v => System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string?>>(v,
                        CatalogueDbContext.JsonOptions) ?? new()),
                new ValueComparer<Dictionary<string, string?>>(
                    (a, b) => a!.Count == b!.Count && !a.Except(b).Any(),
                    v => v.Aggregate(0, (h, kv) => HashCode.Combine(h, kv.Key, kv.Value)),
                    v => new Dictionary<string, string?>(v)));
            suggestion.HasIndex(s => new { s.DepartementCode, s.Status });
        });

        model.Entity<SiteEdit>(edit =>
        {
            edit.ToTable("site_edits");
            edit.Property(e => e.Status).HasConversion<string>().HasMaxLength(32);
            edit.Property(e => e.Field).HasMaxLength(64);
            edit.HasIndex(e => new { e.SiteId, e.Field }).IsUnique().HasFilter("status IN ('Active', 'Conflict')");
            edit.HasIndex(e => e.Status);
            // An edit lives and dies with its place (a place merged into another is deleted).
            edit.HasOne<Core.Places.Site>().WithMany().HasForeignKey(e => e.SiteId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
