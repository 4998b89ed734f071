namespace InclusionMap.Data.Export;

public enum ExportFormat { SchemaV1Csv, SchemaV1Json, GeoJson }
