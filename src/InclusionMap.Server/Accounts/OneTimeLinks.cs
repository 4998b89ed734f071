using InclusionMap.Data;
using InclusionMap.Data.Accounts;
using Microsoft.EntityFrameworkCore;

namespace InclusionMap.Server.Accounts;

/// <summary>
/// Links sent by mail that work once, before they expire, for one purpose (<see cref="OneTimeLinkPurpose"/>): the
/// secret is in the link (<c>?jeton=iml_…</c>), only its SHA-256 in <c>one_time_links</c>. Issuing a link for an account
/// ends the account's earlier unused links of the same purpose. Using one is atomic: of two requests with the same
/// link, one wins.
/// </summary>
public static class OneTimeLinks
{
    public const string Prefix = "iml_";

    /// <summary>A new link's secret, its row added to <paramref name="db"/> (saved by the caller, with its audit row).</summary>
    public static async Task<string> IssueAsync(CatalogueDbContext db, OneTimeLinkPurpose purpose, Account? account, string email,
        long? siteId, TimeSpan lifetime, CancellationToken ct = default)
    {
        var now = DateTimeOffset.UtcNow;
        if (account is not null)
            await db.OneTimeLinks.Where(l => l.AccountId == account.Id && l.Purpose == purpose && l.UsedAt == null && l.ExpiresAt > now)
                .ExecuteUpdateAsync(l => l.SetProperty(x => x.ExpiresAt, now), ct);
        var token = SecretTokens.New(Prefix);
        db.OneTimeLinks.Add(new OneTimeLink
        {
            Purpose = purpose,
            Hash = SecretTokens.Hash(token),
            AccountId = account?.Id,
            Email = email,
            SiteId = siteId,
            CreatedAt = now,
            ExpiresAt = now + lifetime,
        });
        return token;
    }

    /// <summary>The link of a secret if it can still be used for <paramref name="purpose"/>; null otherwise. Changes nothing.</summary>
    public static async Task<OneTimeLink?> FindUsableAsync(CatalogueDbContext db, string? token, OneTimeLinkPurpose purpose,
        CancellationToken ct = default)
    {
        if (!SecretTokens.LooksLike(token, Prefix)) return null;
        var hash = SecretTokens.Hash(token!);
        var now = DateTimeOffset.UtcNow;
        return await db.OneTimeLinks.AsNoTracking()
            .FirstOrDefaultAsync(l => l.Hash == hash && l.Purpose == purpose && l.UsedAt == null && l.ExpiresAt > now, ct);
    }

    /// <summary>Marks a usable link used and returns it; null when it is unknown, used, expired or for another purpose.</summary>
    public static async Task<OneTimeLink?> UseAsync(CatalogueDbContext db, string? token, OneTimeLinkPurpose purpose,
        CancellationToken ct = default)
    {
        if (!SecretTokens.LooksLike(token, Prefix)) return null;
        var hash = SecretTokens.Hash(token!);
        var now = DateTimeOffset.UtcNow;
        var used = await db.OneTimeLinks.Where(l => l.Hash == hash && l.Purpose == purpose && l.UsedAt == null && l.ExpiresAt > now)
            .ExecuteUpdateAsync(l => l.SetProperty(x => x.UsedAt, now), ct);
        return used == 1 ? await db.OneTimeLinks.AsNoTracking().FirstAsync(l => l.Hash == hash, ct) : null;
    }
}
