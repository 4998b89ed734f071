namespace InclusionMap.Server.Tests.Limits;

/// <summary>
/// The test classes that share one <see cref="TightLimitsServer"/> (one after the other, each from client addresses of
/// its own, so that their budgets and the analysis places do not meet).
/// </summary>
[CollectionDefinition(Name)]
public sealed class TightLimitsCollection : ICollectionFixture<TightLimitsServer>
{
    public const string Name = "Tight limits";
}
