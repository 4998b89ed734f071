namespace InclusionMap.Data.Accounts;

/// <summary>
/// One row of the audit log: who (account and email, or the command line's OS user), what (an action such as
/// <c>sign-in</c> and its target), when, from where (client address and user agent). Insert-only: the web's database
/// role may INSERT and SELECT it, nothing else, and a trigger refuses UPDATE, DELETE and TRUNCATE to every role.
/// </summary>
public class AuditEntry
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }
    public Guid? AccountId { get; set; }

    /// <summary>The email of the account that acted, <c>cli:USER</c> for the command line, or what an unknown visitor gave.</summary>
    public string Actor { get; set; } = "";

    /// <summary>What happened, e.g. <c>sign-in</c>, <c>sign-in.failed</c>, <c>account.invited</c> (<c>AuditActions</c>).</summary>
    public string Action { get; set; } = "";

    /// <summary>What it happened to, e.g. <c>account:jeanne@example.fr</c>, <c>api-token:12</c>, <c>site:4711</c>.</summary>
    public string? Target { get; set; }

    /// <summary>The client's IP address (after trusted proxies), null from the command line.</summary>
    public string? Address { get; set; }

    public string? UserAgent { get; set; }

    /// <summary>Anything else worth keeping, as a JSON object.</summary>
    public string? Details { get; set; }
}
