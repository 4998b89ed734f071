using System.Text.Json;
using System.Text.Json.Nodes;

namespace InclusionMap.Server.Tests.GraphQL;

/// <summary>Reading GraphQL answers: the ids of a connection, and the web defaults of System.Text.Json.</summary>
public static class Json
{
    public static List<long> Ids(JsonNode connection) =>
        connection["edges"]!.AsArray().Select(e => long.Parse(e!["node"]!["id"]!.GetValue<string>())).ToList();

    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
