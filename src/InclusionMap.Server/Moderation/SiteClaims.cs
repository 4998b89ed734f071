using InclusionMap.Data.Accounts;
using InclusionMap.Server.Accounts;
using InclusionMap.Server.Catalogue;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace InclusionMap.Server.Moderation;

/// <summary>
/// A structure claims its place by following the link mailed to an address the place's record lists
/// (<see cref="Contributions.RequestClaimAsync"/>): the link is used up, the account of that address is created as a
/// structure (the link proves the address) or, if it already is one, given this place too; then it is signed in. An
/// account with another role, or a revoked one, is refused: an admin changes roles.
/// </summary>
public sealed class SiteClaims(CatalogueWriteDbContext db, UserManager<Account> users, SignInManager<Account> signIn)
{
    /// <summary>The address and place of a link that still works; null otherwise. Changes nothing (mail scanners open links).</summary>
    public async Task<(string Email, long SiteId, string Place)?> PeekAsync(string? token, CancellationToken ct)
    {
        var link = await OneTimeLinks.FindUsableAsync(db, token, OneTimeLinkPurpose.SiteClaim, ct);
        if (link?.SiteId is not { } siteId) return null;
        var place = await db.Sites.AsNoTracking().Where(s => s.Id == siteId).Select(s => s.Nom).FirstOrDefaultAsync(ct);
        return place is null ? null : (link.Email, siteId, place);
    }

    /// <summary>Uses the link and signs its account in; returns the place, or why it was refused (French).</summary>
    public async Task<(long? SiteId, string? Problem)> ClaimAsync(string? token, HttpContext http, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var link = await OneTimeLinks.UseAsync(db, token, OneTimeLinkPurpose.SiteClaim, ct);
        if (link?.SiteId is not { } siteId || !await db.Sites.AnyAsync(s => s.Id == siteId, ct)) return (null, AccountPages.LinkNotUsable);
        var account = await users.FindByEmailAsync(link.Email);
        if (account is null)
        {
            account = new Account
            {
                UserName = link.Email, Email = link.Email, EmailConfirmed = true, Role = AccountRole.Structure, SiteIds = [siteId],
                CreatedAt = DateTimeOffset.UtcNow, LockoutEnabled = true,
            };
            if (!(await users.CreateAsync(account)).Succeeded) return (null, "Ce compte n'a pas pu être créé.");
        }
        else if (account.Revoked) return (null,
            "Le compte de cette adresse a été fermé : adressez-vous à l'administrateur d'InclusionMap.");
        else if (account.Role != AccountRole.Structure)
            return (null,
                "Le compte de cette adresse a déjà un autre rôle : connectez-vous avec lui, ou demandez à l'administrateur "
                + "d'InclusionMap.");
        else
        {
            if (!account.SiteIds.Contains(siteId)) account.SiteIds = [.. account.SiteIds.Append(siteId).Order()];
            account.EmailConfirmed = true;
            await users.UpdateAsync(account);
        }
        account.LastSignInAt = DateTimeOffset.UtcNow;
        await users.UpdateAsync(account);
        AuditLog.Add(db, http, AuditActions.SiteClaimed, account, target: Contributions.SiteTarget(siteId),
            details: new { link = link.Id });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        await signIn.SignInAsync(account, isPersistent: false, authenticationMethod: "link");
        return (siteId, null);
    }
}
