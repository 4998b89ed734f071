using System.CommandLine;
using System.Globalization;
using InclusionMap.Data;
using InclusionMap.Data.Accounts;
using InclusionMap.Server.Accounts;
using InclusionMap.Server.Catalogue;
using InclusionMap.Server.Mail;
using Microsoft.Extensions.Options;

namespace InclusionMap.Server.Cli;

/// <summary>
/// <c>inclusionmap user invite EMAIL --role admin|coordinator|structure [--departement N]… [--site ID]…</c>,
/// <c>user list</c>, <c>user revoke EMAIL</c>: accounts, for admins. An invitation mails a one-time link (through SMTP, or
/// into the outbox folder without one); every change is in the audit log, by <c>cli:</c> and the OS account.
/// </summary>
public static class UserCommand
{
    public static Command Create(GlobalOptions global)
    {
        var command = new Command("user", "Accounts: invite (create or change, and mail a link), list, revoke (docs/accounts.md)");
        command.Subcommands.Add(Invite(global));
        command.Subcommands.Add(List(global));
        command.Subcommands.Add(Revoke(global));
        return command;
    }

    private static Command Invite(GlobalOptions global)
    {
        var email = new Argument<string>("EMAIL") { Description = "The address of the person invited (also their sign-in name)" };
        var role = new Option<string>("--role") { Description = "admin, coordinator or structure", Required = true };
        role.AcceptOnlyFromAmong([.. Enum.GetValues<AccountRole>().Select(r => r.Name())]);
        var departements = new Option<string[]>("--departement")
        {
            Description = "A département the coordinator works on (repeat for several)",
            AllowMultipleArgumentsPerToken = false,
        };
        var sites = new Option<long[]>("--site") { Description = "The id of a site the structure edits (repeat for several)" };
        var command = new Command("invite", "Create an account, or change an existing one's role, and mail it an invitation link")
        {
            email, role, departements, sites,
        };
        command.SetAction(parse => RunAsync(global, parse, "user invite", async (directory, _, ct) =>
        {
            var account = await directory.InviteAsync(parse.GetValue(email)!, AccountRoles.Parse(parse.GetValue(role)!),
                parse.GetValue(departements) ?? [], parse.GetValue(sites) ?? [], AuditLog.CommandLineActor, ct: ct);
            Console.WriteLine($"Invited {account.Email} as {Describe(account)}; "
                + "the invitation link was mailed (valid until it is used or expires).");
        }));
        return command;
    }

    private static Command List(GlobalOptions global)
    {
        var command = new Command("list", "Every account: role, départements or sites, state, last sign-in");
        command.SetAction(parse => RunAsync(global, parse, "user list", async (directory, _, ct) =>
        {
            var accounts = await directory.ListAsync(ct);
            Console.WriteLine($"{"EMAIL",-40} {"ROLE",-30} {"STATE",-8} LAST SIGN-IN");
            foreach (var account in accounts)
            {
                var state = account.Revoked ? "revoked" : account.PasswordHash is null && !account.EmailConfirmed ? "invited" : "active";
                var last = account.LastSignInAt?.ToString("yyyy-MM-dd HH:mm'Z'", CultureInfo.InvariantCulture) ?? "never";
                Console.WriteLine($"{account.Email,-40} {Describe(account),-30} {state,-8} {last}");
            }
            Console.Error.WriteLine($"{accounts.Count} accounts");
        }));
        return command;
    }

    private static Command Revoke(GlobalOptions global)
    {
        var email = new Argument<string>("EMAIL") { Description = "The account's address" };
        var command = new Command("revoke", "End an account: no more sign-in, its sessions and API tokens stop at once") { email };
        command.SetAction(parse => RunAsync(global, parse, "user revoke", async (directory, _, ct) =>
        {
            var account = await directory.RevokeAsync(parse.GetValue(email)!, AuditLog.CommandLineActor, ct: ct);
            Console.WriteLine($"Revoked {account.Email}.");
        }));
        return command;
    }

    private static string Describe(Account account) => account.Role switch
    {
        AccountRole.Coordinator => $"coordinator ({string.Join(", ", account.Departements)})",
        AccountRole.Structure => $"structure (sites {string.Join(", ", account.SiteIds)})",
        var role => role.Name(),
    };

    /// <summary>Opens the catalogue, composes the account services as the web does (without cookies), runs, reports failures.</summary>
    private static async Task<int> RunAsync(GlobalOptions global, ParseResult parse, string name,
        Func<AccountDirectory, IServiceProvider, CancellationToken, Task> run)
    {
        var settings = global.Catalogue(parse);
        var configuration = global.Configuration(parse);
        AccountOptions accounts;
        MailOptions mail;
        try
        {
            accounts = ValidatedOptions.Read<AccountOptions>(configuration, AccountOptions.Section);
            mail = ValidatedOptions.Read<MailOptions>(configuration, MailOptions.Section);
        }
        catch (OptionsValidationException e)
        {
            throw new UsageException($"{name}: {e.Message}");
        }
        using var loggerFactory = CommandDatabase.Logging();
        var log = loggerFactory.CreateLogger(name);
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
        try
        {
            await using var database = await CommandDatabase.OpenAsync(settings, log, cancel.Token);
            var services = new ServiceCollection();
            services.AddSingleton(loggerFactory);
            services.AddLogging();
            services.AddDbContext<CatalogueWriteDbContext>(o => CatalogueDatabase.Configure(o, database.DataSource));
            services.AddSingleton(MailSenders.Create(mail, settings.StateDirectory, loggerFactory));
            services.AddAccountServices(accounts);
            await using var provider = services.BuildServiceProvider();
            await using var scope = provider.CreateAsyncScope();
            await run(scope.ServiceProvider.GetRequiredService<AccountDirectory>(), scope.ServiceProvider, cancel.Token);
            return 0;
        }
        catch (Exception e) when (e is AccountException or MailNotSentException or StateDirectoryInUseException
                                       or Npgsql.NpgsqlException
                                   || e.InnerException is Npgsql.NpgsqlException)
        {
            Console.Error.WriteLine(
                $"{name}: {(e is AccountException or MailNotSentException ? e.Message : (e.InnerException ?? e).Message)}");
            return 1;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine($"{name}: cancelled; nothing was changed.");
            return 130;
        }
    }
}
