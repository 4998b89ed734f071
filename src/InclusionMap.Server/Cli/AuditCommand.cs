using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using InclusionMap.Core;
using InclusionMap.Data;
using InclusionMap.Data.Accounts;
using InclusionMap.Server.Catalogue;
using Microsoft.EntityFrameworkCore;

namespace InclusionMap.Server.Cli;

/// <summary>
/// <c>inclusionmap audit export [--out FILE] [--format csv|json] [--since DATE]</c>: the audit log (every sign-in and
/// every write: who, what, when, from where), oldest first, streamed. CSV is for people (cells that a spreadsheet would
/// run as formulas are neutralised: a user agent is whatever a visitor sent); JSON keeps every value as it is.
/// </summary>
public static class AuditCommand
{
    private static readonly string[] Columns = ["id", "at", "account_id", "actor", "action", "target", "address", "user_agent", "details"];

    public static Command Create(GlobalOptions global)
    {
        var format = new Option<string>("--format") { Description = "csv (default) or json", DefaultValueFactory = _ => "csv" };
        format.AcceptOnlyFromAmong("csv", "json");
        var output = new Option<string?>("--out") { Description = "Write to this file (default: standard output)" };
        var since = new Option<DateTimeOffset?>("--since") { Description = "Only entries from this date or time on (e.g. 2026-01-31)" };
        var export = new Command("export", "Write the audit log (oldest first)") { format, output, since };
        export.SetAction(parse =>
            ExportAsync(global.Catalogue(parse), parse.GetValue(format)!, parse.GetValue(output), parse.GetValue(since)));
        return new Command("audit", "The audit log of sign-ins and writes (docs/accounts.md)") { export };
    }

    private static async Task<int> ExportAsync(CatalogueSettings settings, string format, string? outPath, DateTimeOffset? since)
    {
        using var loggerFactory = CommandDatabase.Logging();
        var log = loggerFactory.CreateLogger("audit");
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
        var temporary = outPath is null ? null : outPath + ".partial";
        try
        {
            await using var database = await CommandDatabase.OpenAsync(settings, log, cancel.Token);
            await using var db = CatalogueDatabase.CreateContext(database.DataSource);
            var entries = db.AuditLog.AsNoTracking().Where(e => since == null || e.At >= since).OrderBy(e => e.Id).AsAsyncEnumerable();
            var count = 0;
            await using (var stream = temporary is null ? Console.OpenStandardOutput() : File.Create(temporary))
            {
                if (format == "json") count = await WriteJsonAsync(entries, stream, cancel.Token);
                else count = await WriteCsvAsync(entries, stream, cancel.Token);
            }
            if (temporary is not null) File.Move(temporary, outPath!, overwrite: true);
            Console.Error.WriteLine($"exported {count} audit entries{(outPath is null ? "" : " to " + outPath)}");
            return 0;
        }
        catch (Exception e) when (e is StateDirectoryInUseException or IOException or UnauthorizedAccessException or Npgsql.NpgsqlException)
        {
            if (temporary is not null) File.Delete(temporary);
            Console.Error.WriteLine($"audit: {e.Message}");
            return 1;
        }
        catch (OperationCanceledException)
        {
            if (temporary is not null) File.Delete(temporary);
            Console.Error.WriteLine("audit: cancelled.");
            return 130;
        }
    }

    private static async Task<int> WriteCsvAsync(IAsyncEnumerable<AuditEntry> entries, Stream stream, CancellationToken ct)
    {
        await using var text = new StreamWriter(stream, new System.Text.UTF8Encoding(false), leaveOpen: true);
        using var csv = Csv.ForPeople(text);
        Csv.WriteRow(csv, Columns);
        var count = 0;
        await foreach (var e in entries.WithCancellation(ct))
        {
            Csv.WriteRow(csv, [e.Id.ToString(CultureInfo.InvariantCulture), e.At.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
                e.AccountId?.ToString(), e.Actor, e.Action, e.Target, e.Address, e.UserAgent, e.Details]);
            count++;
        }
        return count;
    }

    private static async Task<int> WriteJsonAsync(IAsyncEnumerable<AuditEntry> entries, Stream stream, CancellationToken ct)
    {
        await using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartArray();
        var count = 0;
        await foreach (var e in entries.WithCancellation(ct))
        {
            json.WriteStartObject();
            json.WriteNumber("id", e.Id);
            json.WriteString("at", e.At.UtcDateTime);
            json.WriteString("account_id", e.AccountId?.ToString());
            json.WriteString("actor", e.Actor);
            json.WriteString("action", e.Action);
            json.WriteString("target", e.Target);
            json.WriteString("address", e.Address);
            json.WriteString("user_agent", e.UserAgent);
            json.WritePropertyName("details");
            if (e.Details is null) json.WriteNullValue();
            else
            {
                using var details = JsonDocument.Parse(e.Details);
                details.RootElement.WriteTo(json);
            }
            json.WriteEndObject();
            count++;
            if (count % 1000 == 0) await json.FlushAsync(ct);
        }
        json.WriteEndArray();
        await json.FlushAsync(ct);
        return count;
    }
}
