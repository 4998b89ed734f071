namespace InclusionMap.Testing;

/// <summary>Régions, départements, communes with polygons, population, census indicators and codes; no place.</summary>
public sealed class TerritoriesCatalogue() : CatalogueDatabaseFixture(TestCluster.TerritoriesTemplate);
