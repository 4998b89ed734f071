
namespace InclusionMap.Server.Tests.Hostile;

/// <summary>The hostile corpus's one server (the real server over a copy of the real catalogue), shared by its classes.</summary>
[CollectionDefinition(Name)]
public sealed class HostileServerCollection : ICollectionFixture<HostileServer>
{
    public const string Name = "Hostile requests";
}
