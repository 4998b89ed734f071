using InclusionMap.Data;
using InclusionMap.Data.Accounts;
using Microsoft.EntityFrameworkCore;

namespace InclusionMap.Server.Accounts;

/// <summary>
/// Personal API tokens: <c>imt_</c> and 43 base64url characters, sent as <c>Authorization: Bearer</c>; stored as SHA-256.
/// A token works while it is neither expired nor revoked and its account is active. Its last use is written at most
/// once a minute.
/// </summary>
public static class ApiTokens
{
    public const string Prefix = "imt_";
    public const int MaxNameLength = 100;
    private static readonly TimeSpan LastUseResolution = TimeSpan.FromMinutes(1);

    /// <summary>
    /// A new token for <paramref name="account"/>: its row added to <paramref name="db"/> (saved by the caller) and its secret.
    /// </summary>
    public static (ApiToken Token, string Secret) Issue(CatalogueDbContext db, Account account, string name, TimeSpan lifetime)
    {
        var secret = SecretTokens.New(Prefix);
        var now = DateTimeOffset.UtcNow;
        var token = new ApiToken
        {
            AccountId = account.Id,
            Name = name,
            Hash = SecretTokens.Hash(secret),
            Prefix = secret[..(Prefix.Length + 6)],
            CreatedAt = now,
            ExpiresAt = now + lifetime,
        };
        db.ApiTokens.Add(token);
        return (token, secret);
    }

    /// <summary>The tokens of an account that still work, newest first.</summary>
    public static Task<List<ApiToken>> ActiveAsync(CatalogueDbContext db, Guid accountId, CancellationToken ct = default)
    {
        var now = DateTimeOffset.UtcNow;
        return db.ApiTokens.AsNoTracking().Where(t => t.AccountId == accountId && t.RevokedAt == null && t.ExpiresAt > now)
            .OrderByDescending(t => t.CreatedAt).ToListAsync(ct);
    }

    /// <summary>The account of a secret that works, after noting its use; null for anything else.</summary>
    public static async Task<(ApiToken Token, Account Account)?> AuthenticateAsync(CatalogueDbContext db, string? secret,
        CancellationToken ct = default)
    {
        if (!SecretTokens.LooksLike(secret, Prefix)) return null;
        var hash = SecretTokens.Hash(secret!);
        var now = DateTimeOffset.UtcNow;
        var found = await db.ApiTokens.AsNoTracking()
            .Where(t => t.Hash == hash && t.RevokedAt == null && t.ExpiresAt > now)
            .Join(db.Accounts.AsNoTracking().Where(a => a.RevokedAt == null), t => t.AccountId, a => a.Id,
                (t, a) => new { Token = t, Account = a })
            .FirstOrDefaultAsync(ct);
        if (found is null) return null;
        if (found.Token.LastUsedAt is not { } last || now - last >= LastUseResolution)
        {
            var threshold = now - LastUseResolution;
            await db.ApiTokens.Where(t => t.Id == found.Token.Id && (t.LastUsedAt == null || t.LastUsedAt < threshold))
                .ExecuteUpdateAsync(t => t.SetProperty(x => x.LastUsedAt, now), ct);
        }
        return (found.Token, found.Account);
    }
}
