namespace InclusionMap.Testing;

/// <summary>The full catalogue as the seed builds it from the real open data.</summary>
public sealed class SeededCatalogue() : CatalogueDatabaseFixture(TestCluster.CatalogueTemplate);
