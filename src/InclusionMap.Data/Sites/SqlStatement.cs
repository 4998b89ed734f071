using System.Globalization;
using System.Text;
using Npgsql;
using NpgsqlTypes;

namespace InclusionMap.Data.Sites;

/// <summary>
/// SQL text being built with its positional parameters (<c>$1</c>, <c>$2</c>…): values never become SQL text. The
/// same question always gives the same text, so PostgreSQL reuses its prepared plan.
/// </summary>
public sealed class SqlStatement
{
    private readonly List<NpgsqlParameter> _parameters = [];
    private bool _conditions;

    public StringBuilder Text { get; } = new();

    /// <summary>A placeholder for <paramref name="value"/> (<c>$n</c>), typed when Npgsql cannot infer the type.</summary>
    public string Parameter(object value, NpgsqlDbType? type = null)
    {
        var parameter = new NpgsqlParameter { Value = value };
        if (type is { } t) parameter.NpgsqlDbType = t;
        _parameters.Add(parameter);
        return "$" + _parameters.Count.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Starts the next condition: <c> WHERE </c> the first time, then <c> AND </c>.</summary>
    public StringBuilder And()
    {
        var text = Text.Append(_conditions ? " AND " : " WHERE ");
        _conditions = true;
        return text;
    }

    /// <summary>For text that already opened its <c>WHERE</c> clause: the next conditions start with <c> AND </c>.</summary>
    public void ConditionsOpen() => _conditions = true;

    /// <summary>
    /// A new command each time (with copies of the parameters, which belong to one command): a retried read sends it again.
    /// </summary>
    public NpgsqlCommand Command(NpgsqlDataSource dataSource)
    {
        var command = dataSource.CreateCommand(Text.ToString());
        command.Parameters.AddRange(_parameters.Select(p => p.Clone()).ToArray());
        return command;
    }

    public override string ToString() => Text.ToString();
}
