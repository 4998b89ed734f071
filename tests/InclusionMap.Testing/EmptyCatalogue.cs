namespace InclusionMap.Testing;

/// <summary>Schema only: no territory, no place.</summary>
public sealed class EmptyCatalogue() : CatalogueDatabaseFixture(TestCluster.EmptyTemplate);
