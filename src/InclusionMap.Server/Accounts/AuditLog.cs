using System.Text.Json;
using InclusionMap.Data;
using InclusionMap.Data.Accounts;

namespace InclusionMap.Server.Accounts;

/// <summary>
/// Adds rows to the insert-only audit log, in the caller's unit of work: a write and its audit row are saved together.
/// Who acted is an account (<see cref="Account"/>), the command line (<see cref="CommandLineActor"/>) or what an unknown
/// visitor typed; from where is the request's client address and user agent (cut at 300 characters).
/// </summary>
public static class AuditLog
{
    public const int MaxUserAgentLength = 300;

    /// <summary>The actor of command-line actions: <c>cli:</c> and the OS account that ran them.</summary>
    public static string CommandLineActor => "cli:" + Environment.UserName;

    public static AuditEntry Add(CatalogueDbContext db, HttpContext? http, string action, Account? account, string? actor = null,
        string? target = null, object? details = null)
    {
        var agent = http?.Request.Headers.UserAgent.ToString();
        var entry = new AuditEntry
        {
            At = DateTimeOffset.UtcNow,
            AccountId = account?.Id,
            Actor = actor ?? account?.Email ?? "",
            Action = action,
            Target = target,
            Address = http?.Connection.RemoteIpAddress?.ToString(),
            UserAgent = string.IsNullOrEmpty(agent) ? null : agent[..Math.Min(agent.Length, MaxUserAgentLength)],
            Details = details is null ? null : JsonSerializer.Serialize(details),
        };
        db.AuditLog.Add(entry);
        return entry;
    }

    public static string AccountTarget(string? email) => "account:" + email;
    public static string ApiTokenTarget(long id) => "api-token:" + id;
}
