using System.Data.Common;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace InclusionMap.Data;

/// <summary>
/// Writes the row limit of EF Core's queries into their SQL as a literal (<c>LIMIT 13</c>, not <c>LIMIT @n</c>).
/// EF Core always sends <c>Take(n)</c> as a parameter (there is no way to ask for a constant at the top of a query), and
/// PostgreSQL plans a prepared statement whose LIMIT is a parameter again at every execution: its generic plan assumes
/// the query returns a tenth of the table, which always costs more than the custom plans, so the plan is never reused.
/// Planning is about a fifth of the database's work for a nearest-10 page. With the literal, a statement that runs again
/// keeps its plan (PostgreSQL switches to the generic plan after five executions). Each page size is its own statement;
/// the API uses few (its page sizes are capped), and Npgsql keeps the 64 most used prepared per connection.
/// Only the outermost <c>LIMIT @name</c> (before an <c>OFFSET</c> or not) of an integer parameter is rewritten.
/// </summary>
public sealed partial class LiteralLimitInterceptor : DbCommandInterceptor
{
    public static LiteralLimitInterceptor Instance { get; } = new();

    [GeneratedRegex(@"\bLIMIT @(\w+)(?=( OFFSET @\w+)?$)")]
    private static partial Regex OuterLimit();

    public override InterceptionResult<DbDataReader> ReaderExecuting(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Inline(command);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Inline(command);
        return ValueTask.FromResult(result);
    }

    /// <summary>Replaces a final <c>LIMIT @name</c> by the value of that parameter when it is an integer.</summary>
    public static void Inline(DbCommand command)
    {
        var text = command.CommandText;
        if (text.LastIndexOf("LIMIT @", StringComparison.Ordinal) < 0 || OuterLimit().Match(text) is not { Success: true } limit) return;
        var name = limit.Groups[1].Value;
        foreach (DbParameter parameter in command.Parameters)
        {
            if (parameter.ParameterName.TrimStart('@') != name) continue;
            if (parameter.Value is int or long)
                command.CommandText = string.Concat(text[..limit.Index], "LIMIT ",
                    Convert.ToInt64(parameter.Value).ToString(System.Globalization.CultureInfo.InvariantCulture),
                    text[(limit.Index + limit.Length)..]);
            return;
        }
    }
}
