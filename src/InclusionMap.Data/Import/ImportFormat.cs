namespace InclusionMap.Data.Import;

/// <summary>Every file format the import understands. Places formats first, then territories.</summary>
public enum ImportFormat
{
    SchemaV1Csv,
    SchemaV1Json,
    SchemaV01Csv,
    SchemaV01Json,
    FranceServicesCsv,
    ConseillersNumeriquesJson,
    RegionsJson,
    DepartementsJson,
    DepartementsGeoJson,
    CommunesGeoJson,
    CommunesPopulationCsv,
    CensusIndicatorsCsv,
    CommunesJson,
    IfnCommunesCsv,
}
