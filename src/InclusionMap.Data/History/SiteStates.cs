using Npgsql;

namespace InclusionMap.Data.History;

/// <summary>
/// What a site's source records say of it: <c>last_confirmed</c> is the last time any of them was seen in a file of its
/// dataset; <c>retired_at</c> is set (to the latest of their retirements) when every one is retired, and cleared when one
/// comes back. Brought up to date at the end of every write run, inside its transaction; only the rows that differ are
/// written, and each retirement or restoration of a site goes to its history.
/// </summary>
public static class SiteStates
{
    /// <summary>
    /// The self-join keeps the row as it was (<c>o</c>) beside the one updated, so RETURNING gives the old value too.
    /// </summary>
    private const string RefreshSql = """
        WITH x AS (
          SELECT site_id, max(last_seen_at) AS seen,
                 CASE WHEN bool_and(retired_at IS NOT NULL) THEN max(retired_at) END AS retired
            FROM site_sources GROUP BY site_id)
        UPDATE sites s SET last_confirmed = x.seen, retired_at = x.retired
          FROM x JOIN sites o ON o.id = x.site_id
         WHERE s.id = o.id AND (o.last_confirmed IS DISTINCT FROM x.seen OR o.retired_at IS DISTINCT FROM x.retired)
        RETURNING s.id, o.retired_at, s.retired_at
        """;

    /// <summary>Brings every site's state up to date; retirements and restorations go to <paramref name="history"/>.</summary>
    public static async Task RefreshAsync(NpgsqlConnection connection, SiteHistoryRecorder history, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(RefreshSql, connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            DateTimeOffset? before = reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1);
            DateTimeOffset? after = reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2);
            if (before == after) continue;
            var siteId = reader.GetInt64(0);
            history.Event(siteId, after is null ? ChangeCause.Restoration : ChangeCause.Retirement, history.DatasetOf(siteId),
                "retiredAt", Text(before), Text(after));
        }
    }

    private static string? Text(DateTimeOffset? t) =>
        t?.ToUniversalTime().ToString("O", System.Globalization.CultureInfo.InvariantCulture);
}
