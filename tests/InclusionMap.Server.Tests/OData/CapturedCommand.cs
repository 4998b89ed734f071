using Npgsql;

namespace InclusionMap.Server.Tests.OData;

/// <summary>An SQL command EF sent, with copies of its parameters so a test can EXPLAIN exactly what ran.</summary>
public sealed record CapturedCommand(string Text, List<NpgsqlParameter> Parameters);
