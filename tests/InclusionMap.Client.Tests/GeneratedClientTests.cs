using System.Reflection;
using System.Text.Json.Serialization;
using InclusionMap.Client.Generator;
using InclusionMap.Core.Places;

namespace InclusionMap.Client.Tests;

/// <summary>The client's types are the schema's: regenerated here and compared with the checked-in files.</summary>
public sealed class GeneratedClientTests
{
    [Fact]
    public void The_checked_in_client_code_is_generated_from_the_checked_in_schema()
    {
        var root = GeneratedFiles.FindRepositoryRoot(AppContext.BaseDirectory);
        if (Environment.GetEnvironmentVariable("INCLUSIONMAP_UPDATE_CLIENT") == "1") GeneratedFiles.Write(root);
        var stale = GeneratedFiles.Stale(root);
        Assert.True(stale.Count == 0,
            $"src/InclusionMap.Client/Generated differs from docs/schema.graphql ({string.Join(", ", stale)}): run " +
            "dotnet run --project tools/InclusionMap.Client.Generator (or the tests with INCLUSIONMAP_UPDATE_CLIENT=1).");
    }

    [Fact]
    public void Every_field_of_the_server_registry_reaches_the_client()
    {
        var client = typeof(Site).GetProperties().Select(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()!.Name).ToHashSet();
        var registry = SiteFields.All.Select(f => f.GraphQLName).ToList();
        Assert.NotEmpty(registry);
        Assert.All(registry, name => Assert.Contains(name, client));
    }

    [Fact]
    public void A_field_added_to_the_schema_appears_in_the_generated_types()
    {
        var root = GeneratedFiles.FindRepositoryRoot(AppContext.BaseDirectory);
        var sdl = File.ReadAllText(GeneratedFiles.SchemaPath(root))
            .Replace("type Site {\n", "type Site {\n  \"Wheelchair access.\"\n  accessible: Boolean!\n", StringComparison.Ordinal);
        var files = ClientGenerator.Generate(sdl);
        Assert.Contains("[JsonPropertyName(\"accessible\")]\n    public bool Accessible { get; init; }", files["Site.g.cs"]);
        Assert.Contains("new(\"accessible\", \"Accessible\", null, FieldTraits.None)", files["SchemaInfo.g.cs"]);
    }
}
