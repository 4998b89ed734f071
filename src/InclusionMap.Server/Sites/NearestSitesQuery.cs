using System.Collections.Concurrent;
using System.Data.Common;
using System.Linq.Expressions;
using System.Reflection;
using System.Text;
using InclusionMap.Core.Places;
using InclusionMap.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using NetTopologySuite.Geometries;
using Npgsql;
using NpgsqlTypes;

namespace InclusionMap.Server.Sites;

/// <summary>
/// The n sites nearest to a point, optionally within a radius, reading only some plain columns: the page maps, widgets
/// and partner sites ask for most (<c>sites(near: …, first: 10) { nodes { id nom latitude longitude } }</c>). Its SQL is
/// written once per set of columns and sent through Npgsql on the context's own connection; the rows are read by a
/// compiled reader:
/// <code>
/// SELECT s.id AS "Id", s.nom AS "Nom", …, s.location &lt;-&gt; $1 AS "Distance" FROM sites AS s
/// WHERE NOT (s.synthetic) AND s.location IS NOT NULL [AND ST_DWithin(s.location, $1, $2, FALSE)]
/// ORDER BY s.location &lt;-&gt; $1 LIMIT n
/// </code>
/// The same statement EF Core's compiled query sends (the GiST index walked in distance order), without the query
/// pipeline around it: EF Core spent 0.05–0.09 ms per page there (a query context, a shaper delegate made at every
/// execution, its command and diagnostics layers), as much as a fifth of what the database spends on a nearest-10 page.
/// Only columns stored as they are read (text, numbers, dates, text arrays without a value converter) are read this
/// way; any other set of columns returns null from <see cref="For"/> and goes through EF Core.
/// </summary>
internal sealed class NearestSitesQuery
{
    private static readonly ConcurrentDictionary<(string Columns, bool IncludeSynthetic, bool Radius), NearestSitesQuery?> Queries = new();

    private readonly string _select;
    private readonly Func<DbDataReader, Site> _read;
    private readonly int _distanceOrdinal;
    private readonly bool _radius;

    private NearestSitesQuery(string select, Func<DbDataReader, Site> read, int distanceOrdinal, bool radius) =>
        (_select, _read, _distanceOrdinal, _radius) = (select, read, distanceOrdinal, radius);

    /// <summary>
    /// The query reading <paramref name="properties"/> (and <see cref="Site.Id"/>) of the nearest sites, or null when one of
    /// them is not a plain column (a vocabulary stored through a converter, a geometry, a navigation).
    /// </summary>
    public static NearestSitesQuery? For(IModel model, IReadOnlyCollection<string> properties, bool includeSynthetic, bool radius)
    {
        var names = properties.Append(nameof(Site.Id)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        // Clients choose the fields: bounded, like EF Core's own query cache.
        if (Queries.Count > 1_000) Queries.Clear();
        return Queries.GetOrAdd((string.Join(',', names), includeSynthetic, radius), _ => Build(model, names, includeSynthetic, radius));
    }

    private static NearestSitesQuery? Build(IModel model, string[] names, bool includeSynthetic, bool radius)
    {
        var entity = model.FindEntityType(typeof(Site))!;
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var reader = Expression.Parameter(typeof(DbDataReader), "reader");
        var site = Expression.Variable(typeof(Site), "site");
        var body = new List<Expression> { Expression.Assign(site, Expression.New(typeof(Site))) };
        var columns = new List<string>();
        foreach (var name in names)
        {
            if (entity.FindProperty(name) is not { } property || property.PropertyInfo is not { } info || !Readable(property)) return null;
            var ordinal = Expression.Constant(columns.Count);
            columns.Add($"s.{property.GetColumnName(table)} AS \"{name}\"");
            var type = Nullable.GetUnderlyingType(info.PropertyType) ?? info.PropertyType;
            var value = Expression.Call(reader, GetFieldValue.MakeGenericMethod(type), ordinal);
            // A NULL column leaves the property at its default (null, or an empty list), as EF Core's materializer does.
            body.Add(Expression.IfThen(Expression.Not(Expression.Call(reader, IsDBNull, ordinal)),
                Expression.Assign(Expression.Property(site, info), Expression.Convert(value, info.PropertyType))));
        }
        body.Add(site);
        var read = Expression.Lambda<Func<DbDataReader, Site>>(Expression.Block([site], body), reader).Compile();

        var location = "s." + entity.FindProperty(nameof(Site.Location))!.GetColumnName(table);
        var synthetic = "s." + entity.FindProperty(nameof(Site.Synthetic))!.GetColumnName(table);
        var sql = new StringBuilder("SELECT ").AppendJoin(", ", columns).Append($", {location} <-> $1 AS \"Distance\"")
            .Append($" FROM {table.Name} AS s WHERE ")
            .Append(includeSynthetic ? "" : $"NOT ({synthetic}) AND ")
            .Append($"{location} IS NOT NULL")
            .Append(radius ? $" AND ST_DWithin({location}, $1, $2, FALSE)" : "")
            .Append($" ORDER BY {location} <-> $1 LIMIT ");
        return new NearestSitesQuery(sql.ToString(), read, columns.Count, radius);
    }

    private static readonly MethodInfo GetFieldValue = typeof(DbDataReader).GetMethod(nameof(DbDataReader.GetFieldValue))!;
    private static readonly MethodInfo IsDBNull = typeof(DbDataReader).GetMethod(nameof(DbDataReader.IsDBNull))!;

    /// <summary>A column Npgsql reads into the property's own type: no value converter, a plain scalar or a list of text.</summary>
    private static bool Readable(IProperty property)
    {
        if (property.GetValueConverter() is not null || property.GetElementType()?.GetValueConverter() is not null) return false;
        var type = Nullable.GetUnderlyingType(property.ClrType) ?? property.ClrType;
        return type == typeof(string) || type == typeof(long) || type == typeof(int) || type == typeof(double) || type == typeof(bool)
            || type == typeof(DateOnly) || type == typeof(DateTimeOffset) || type == typeof(List<string>);
    }

    /// <summary>The SQL of a page of <paramref name="n"/> rows (the LIMIT a literal, so PostgreSQL reuses one plan per page size).</summary>
    public string Sql(int n) => _select + n.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// The <paramref name="n"/> sites nearest to <paramref name="near"/> (within <paramref name="radiusMeters"/> when the
    /// query has a radius), nearest first, each with its distance in metres (<c>&lt;-&gt;</c> on geography: on the sphere).
    /// </summary>
    public async Task<List<SiteSearch.SiteAtDistance>> FetchAsync(CatalogueDbContext db, Point near, double radiusMeters, int n, CancellationToken ct)
    {
        // The context's connection: the read data source (replicas when configured), opened and closed here when EF Core
        // has not opened it itself.
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened) await connection.OpenAsync(ct);
        try
        {
            await using var command = new NpgsqlCommand(Sql(n), connection);
            command.Parameters.Add(new NpgsqlParameter { Value = near, NpgsqlDbType = NpgsqlDbType.Geography });
            if (_radius) command.Parameters.Add(new NpgsqlParameter { Value = radiusMeters });
            var rows = new List<SiteSearch.SiteAtDistance>(n);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) rows.Add(new SiteSearch.SiteAtDistance { Site = _read(reader), Distance = reader.GetDouble(_distanceOrdinal) });
            return rows;
        }
        finally
        {
            if (opened) await connection.CloseAsync();
        }
    }
}
