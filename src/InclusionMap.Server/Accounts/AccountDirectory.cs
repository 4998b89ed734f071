using InclusionMap.Data.Accounts;
using InclusionMap.Server.Catalogue;
using InclusionMap.Server.Mail;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;

namespace InclusionMap.Server.Accounts;

/// <summary>
/// Accounts as admins and their owners manage them, for the command line and the web alike: invite (create or change,
/// and mail a one-time link), revoke, list, set a password from a link, ask for a new one. Each change and its audit
/// row are one transaction; a mail that cannot be sent rolls the change back.
/// </summary>
public sealed class AccountDirectory(
    CatalogueWriteDbContext db,
    UserManager<Account> users,
    IMailSender mail,
    IOptions<AccountOptions> options)
{
    public const int MaxEmailLength = 256;

    /// <summary>
    /// Creates the account of <paramref name="email"/>, or gives an existing one (revoked included) this role and scope,
    /// and mails it an invitation link (earlier ones stop working).
    /// </summary>
    /// <exception cref="AccountException">A bad address, a role without its scope, an unknown département or site.</exception>
    /// <exception cref="MailNotSentException">The mail could not be sent: nothing was changed.</exception>
    public async Task<Account> InviteAsync(string email, AccountRole role, IReadOnlyCollection<string> departements,
        IReadOnlyCollection<long> sites, string actor, HttpContext? http = null, CancellationToken ct = default)
    {
        email = CheckEmail(email);
        await CheckScopeAsync(role, departements, sites, ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var account = await users.FindByEmailAsync(email);
        if (account is null)
        {
            account = new Account { UserName = email, Email = email, CreatedAt = DateTimeOffset.UtcNow, LockoutEnabled = true };
            Scope(account, role, departements, sites);
            Check(await users.CreateAsync(account));
        }
        else
        {
            Scope(account, role, departements, sites);
            account.RevokedAt = null;
            account.LockoutEnd = null;
            Check(await users.UpdateAsync(account));
            Check(await users.UpdateSecurityStampAsync(account));
        }
        var lifetime = options.Value.InvitationLifetime;
        var token = await OneTimeLinks.IssueAsync(db, OneTimeLinkPurpose.Invitation, account, email, null, lifetime, ct);
        AuditLog.Add(db, http, AuditActions.AccountInvited, null, actor, AuditLog.AccountTarget(email),
            new { role = role.Name(), departements = account.Departements, sites = account.SiteIds });
        await db.SaveChangesAsync(ct);
        await mail.SendAsync(AccountMails.Invitation(email, role, account.Departements, InvitationLink(token), lifetime), ct);
        await transaction.CommitAsync(ct);
        return account;
    }

    /// <summary>The page an invitation link opens.</summary>
    public string InvitationLink(string token) => options.Value.Link(AccountPages.InvitationPath + "?jeton=" + token);

    /// <summary>
    /// Ends an account: it can no longer sign in (locked for good), its sessions end at their next request (new security
    /// stamp), its API tokens and unused links stop working. The row stays, for the audit log.
    /// </summary>
    /// <exception cref="AccountException">No account has this address.</exception>
    public async Task<Account> RevokeAsync(string email, string actor, HttpContext? http = null, CancellationToken ct = default)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var account = await users.FindByEmailAsync(email.Trim()) ?? throw new AccountException($"No account has the address '{email}'.");
        var now = DateTimeOffset.UtcNow;
        account.RevokedAt ??= now;
        account.LockoutEnabled = true;
        account.LockoutEnd = DateTimeOffset.MaxValue;
        Check(await users.UpdateAsync(account));
        Check(await users.UpdateSecurityStampAsync(account));
        var tokens = await db.ApiTokens.Where(t => t.AccountId == account.Id && t.RevokedAt == null)
            .ExecuteUpdateAsync(t => t.SetProperty(x => x.RevokedAt, now), ct);
        await db.OneTimeLinks.Where(l => l.AccountId == account.Id && l.UsedAt == null && l.ExpiresAt > now)
            .ExecuteUpdateAsync(l => l.SetProperty(x => x.ExpiresAt, now), ct);
        AuditLog.Add(db, http, AuditActions.AccountRevoked, null, actor, AuditLog.AccountTarget(account.Email),
            new { apiTokensRevoked = tokens });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return account;
    }

    /// <summary>Every account, by email.</summary>
    public Task<List<Account>> ListAsync(CancellationToken ct = default) =>
        db.Accounts.AsNoTracking().OrderBy(a => a.NormalizedEmail).ToListAsync(ct);

    /// <summary>
    /// Mails a password-reset link when <paramref name="email"/> is an active account's; says nothing either way (the
    /// page answers the same, so it tells no stranger which addresses have accounts). Always audited.
    /// </summary>
    public async Task RequestPasswordResetAsync(string email, HttpContext http, CancellationToken ct = default)
    {
        email = email.Trim();
        if (email.Length > MaxEmailLength) email = email[..MaxEmailLength];
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var account = email.Length == 0 ? null : await users.FindByEmailAsync(email);
        var active = account is { Revoked: false, Email: not null };
        AuditLog.Add(db, http, AuditActions.PasswordResetRequested, account, email, AuditLog.AccountTarget(email), new { sent = active });
        MimeMessage? message = null;
        if (active)
        {
            var lifetime = options.Value.PasswordResetLifetime;
            var token = await OneTimeLinks.IssueAsync(db, OneTimeLinkPurpose.PasswordReset, account, account!.Email!, null, lifetime, ct);
            message = AccountMails.PasswordReset(account.Email!, options.Value.Link(AccountPages.PasswordResetPath + "?jeton=" + token),
                lifetime);
        }
        await db.SaveChangesAsync(ct);
        if (message is not null) await mail.SendAsync(message, ct);
        await transaction.CommitAsync(ct);
    }

    /// <summary>
    /// Sets the password of a link's account and uses the link up, which also confirms its email address (the link came
    /// by mail). The password is checked before the link is used, so a refused password leaves the link working.
    /// </summary>
    /// <returns>The account, or the reasons it was refused (a French sentence each).</returns>
    public async Task<(Account? Account, IReadOnlyList<string> Errors)> SetPasswordAsync(string? token, OneTimeLinkPurpose purpose,
        string password, HttpContext http, CancellationToken ct = default)
    {
        var link = await OneTimeLinks.FindUsableAsync(db, token, purpose, ct);
        var account = link?.AccountId is { } id ? await users.FindByIdAsync(id.ToString()) : null;
        if (account is null || account.Revoked) return (null, [AccountPages.LinkNotUsable]);
        var problems = new List<string>();
        foreach (var validator in users.PasswordValidators)
            if (await validator.ValidateAsync(users, account, password) is { Succeeded: false } result)
                problems.AddRange(result.Errors.Select(e => e.Description));
        if (problems.Count > 0) return (null, problems);

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (await OneTimeLinks.UseAsync(db, token, purpose, ct) is null) return (null, [AccountPages.LinkNotUsable]);
        if (await users.HasPasswordAsync(account)) Check(await users.RemovePasswordAsync(account));
        Check(await users.AddPasswordAsync(account, password));
        account.EmailConfirmed = true;
        account.LockoutEnd = null;
        account.AccessFailedCount = 0;
        Check(await users.UpdateAsync(account));
        AuditLog.Add(db, http, AuditActions.PasswordSet, account, target: AuditLog.AccountTarget(account.Email),
            details: new { link = purpose.ToString() });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return (account, []);
    }

    private static string CheckEmail(string email)
    {
        email = email.Trim();
        if (email.Length is 0 or > MaxEmailLength || !MailboxAddress.TryParse(email, out var box) || box.Address != email
            || !email.Contains('@'))
            throw new AccountException($"'{email}' is not an email address.");
        return email;
    }

    private async Task CheckScopeAsync(AccountRole role, IReadOnlyCollection<string> departements, IReadOnlyCollection<long> sites,
        CancellationToken ct)
    {
        if (role == AccountRole.Coordinator && departements.Count == 0)
            throw new AccountException("A coordinator needs at least one --departement.");
        if (role == AccountRole.Structure && sites.Count == 0) throw new AccountException("A structure needs at least one --site.");
        if (role != AccountRole.Coordinator && departements.Count > 0) throw new AccountException($"A {role.Name()} has no départements.");
        if (role != AccountRole.Structure && sites.Count > 0) throw new AccountException($"A {role.Name()} has no sites.");
        var knownDepartements = await db.Departements.Where(d => departements.Contains(d.Code)).Select(d => d.Code).ToListAsync(ct);
        if (departements.Except(knownDepartements).ToList() is [_, ..] unknown)
            throw new AccountException($"Unknown département: {string.Join(", ", unknown)}.");
        var knownSites = await db.Sites.Where(s => sites.Contains(s.Id)).Select(s => s.Id).ToListAsync(ct);
        if (sites.Except(knownSites).ToList() is [_, ..] missing)
            throw new AccountException($"Unknown site: {string.Join(", ", missing)}.");
    }

    private static void Scope(Account account, AccountRole role, IReadOnlyCollection<string> departements, IReadOnlyCollection<long> sites)
    {
        account.Role = role;
        account.Departements = [.. departements.Distinct().Order(StringComparer.Ordinal)];
        account.SiteIds = [.. sites.Distinct().Order()];
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded) throw new AccountException(string.Join(" ", result.Errors.Select(e => e.Description)));
    }
}
