using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace InclusionMap.Data.Import;

public static partial class ImportFormats
{
    public static bool IsPlaces(this ImportFormat format) => format <= ImportFormat.ConseillersNumeriquesJson;

    /// <summary>Territories load in dependency order (régions, départements, communes, their attributes), then places.</summary>
    public static int LoadOrder(this ImportFormat format) => format.IsPlaces() ? 100 : (int)format;

    /// <summary>The command-line name of a format, e.g. <c>schema-v1-csv</c>.</summary>
    public static string Name(this ImportFormat format) => format switch
    {
        ImportFormat.SchemaV1Csv => "schema-v1-csv",
        ImportFormat.SchemaV1Json => "schema-v1-json",
        ImportFormat.SchemaV01Csv => "schema-v0.1-csv",
        ImportFormat.SchemaV01Json => "schema-v0.1-json",
        ImportFormat.FranceServicesCsv => "france-services-csv",
        ImportFormat.ConseillersNumeriquesJson => "conseillers-numeriques-json",
        ImportFormat.RegionsJson => "regions-json",
        ImportFormat.DepartementsJson => "departements-json",
        ImportFormat.DepartementsGeoJson => "departements-geojson",
        ImportFormat.CommunesGeoJson => "communes-geojson",
        ImportFormat.CommunesPopulationCsv => "communes-population-csv",
        ImportFormat.CensusIndicatorsCsv => "census-csv",
        ImportFormat.CommunesJson => "communes-json",
        ImportFormat.IfnCommunesCsv => "ifn-communes-csv",
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    public static ImportFormat Parse(string name) =>
        Enum.GetValues<ImportFormat>().FirstOrDefault(f => f.Name().Equals(name, StringComparison.OrdinalIgnoreCase),
            (ImportFormat)(-1)) is var f && (int)f >= 0
            ? f
            : throw new ImportException(
                $"Unknown format '{name}'. Known formats: {string.Join(", ", Enum.GetValues<ImportFormat>().Select(x => x.Name()))}.");

    /// <summary>UTF-8 that refuses invalid bytes instead of replacing them: text is never silently altered.</summary>
    internal static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private const int HeadBytes = 64 * 1024;

    /// <summary>Recognises a file from its content (header row or the keys of its first object), never from its name alone.</summary>
    /// <exception cref="ImportException">The file is not readable text (<see cref="ReadHead"/>) or of no known format.</exception>
    public static ImportFormat Detect(string path)
    {
        var head = ReadHead(path).TrimStart('\uFEFF', ' ', '\r', '\n', '\t');
        if (head.StartsWith('[') || head.StartsWith('{')) return DetectJson(path, head);
        return DetectCsv(head)
            ?? throw new ImportException($"{Path.GetFileName(path)}: format not recognised from its header; pass --format.");
    }

    /// <summary>
    /// The first 64 KiB of a file the import may read: a regular file holding UTF-8 text. Anything else is refused
    /// before it is parsed, with the reason: a directory, an empty file, or what is not a regular file (a pipe or a
    /// device, whose size is 0: opening a pipe would wait for a writer forever), UTF-16 or UTF-32 text, binary data
    /// (NUL bytes) and bytes that are not UTF-8 (Latin-1 from a spreadsheet: save it as UTF-8 rather than lose accents).
    /// </summary>
    /// <exception cref="ImportException">Why the file cannot be imported.</exception>
    public static string ReadHead(string path)
    {
        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(path));
        if (Directory.Exists(path)) throw new ImportException($"{name} is a directory, not a file; nothing was imported.");
        var info = new FileInfo(path);
        if (!info.Exists) throw new ImportException($"{name}: no such file.");
        if (info.Length == 0)
            throw new ImportException($"{name} is empty, or not a regular file (a pipe, a device); nothing was imported.");
        var buffer = new byte[HeadBytes];
        int read;
        try
        {
            using var stream = File.OpenRead(path);
            read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new ImportException($"{name} cannot be read (permission denied, or a read error); nothing was imported.", e);
        }
        var bytes = buffer.AsSpan(0, read);
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF])
            || bytes.StartsWith((ReadOnlySpan<byte>)[0, 0, 0xFE, 0xFF]))
            throw new ImportException($"{name} is UTF-16 or UTF-32 text: save it as UTF-8; nothing was imported.");
        if (bytes.IndexOf((byte)0) is var nul and >= 0)
            throw new ImportException(
                $"{name} holds binary data (a NUL byte at offset {nul}), not CSV or JSON text; nothing was imported.");
        // A sequence cut by the end of the head is not an error.
        var decoder = StrictUtf8.GetDecoder();
        var chars = new char[StrictUtf8.GetMaxCharCount(read)];
        try
        {
            return new string(chars, 0, decoder.GetChars(bytes, chars, flush: read < buffer.Length));
        }
        catch (DecoderFallbackException e)
        {
            throw new ImportException(
                $"{name} is not UTF-8 text (byte 0x{e.BytesUnknown?.FirstOrDefault():X2} at offset {e.Index}): save it as UTF-8; " +
                "nothing was imported.", e);
        }
    }

    private static ImportFormat? DetectCsv(string head)
    {
        var headerLine = head.Split('\n')[0];
        HashSet<string> columns;
        try
        {
            var sep = Core.Csv.DetectSeparator(headerLine);
            columns = Core.Csv.Read(new StringReader(headerLine), sep).First().Fields.Select(c => c.Trim().ToLowerInvariant()).ToHashSet();
        }
        catch (InvalidDataException)
        {
            return null;
        }
        if (columns.Contains("id_fs") && columns.Contains("lib_fs")) return ImportFormat.FranceServicesCsv;
        if (columns.Contains("tx_nscol15p")) return ImportFormat.CensusIndicatorsCsv;
        if (columns.Contains("no_thd_coverage_rate") && columns.Contains("total") && columns.Contains("division"))
            return ImportFormat.IfnCommunesCsv;
        if (columns.Contains("code_insee") && columns.Contains("population") && columns.Contains("commune_parente"))
            return ImportFormat.CommunesPopulationCsv;
        if (columns.Contains("pivot") && columns.Contains("nom"))
            return IsV01(columns) ? ImportFormat.SchemaV01Csv : ImportFormat.SchemaV1Csv;
        return null;
    }

    private static bool IsV01(ISet<string> keys) =>
        keys.Contains("conditions_acces") || keys.Contains("labels_nationaux") || keys.Contains("publics_accueillis")
        || keys.Contains("accessibilite") || keys.Contains("courriel") || keys.Contains("labels_autres") || keys.Contains("cle_ban");

    private static bool IsV1(ISet<string> keys) =>
        keys.Contains("frais_a_charge") || keys.Contains("dispositif_programmes_nationaux") || keys.Contains("courriels")
        || keys.Contains("publics_specifiquement_adresses") || keys.Contains("modalites_acces") || keys.Contains("itinerance")
        || keys.Contains("fiche_acces_libre");

    private static ImportFormat DetectJson(string path, string head)
    {
        // Read the first element only: enough to tell the formats apart without loading a large file.
        using var stream = File.OpenRead(path);
        using var document = ParseJson(path, stream);
        var root = document.RootElement;
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String
            && type.GetString() == "FeatureCollection")
        {
            if (!root.TryGetProperty("features", out var features) || features.ValueKind != JsonValueKind.Array)
                throw new ImportException($"{Path.GetFileName(path)}: a GeoJSON FeatureCollection needs an array of features.");
            var first = features.EnumerateArray().FirstOrDefault();
            var props = first.ValueKind == JsonValueKind.Object && first.TryGetProperty("properties", out var p) ? Keys(p) : [];
            if (props.Contains("insee_dep") || (props.Contains("code") && props.Count <= 3 && !props.Contains("departement")))
                return ImportFormat.DepartementsGeoJson;
            if (props.Contains("code") && props.Contains("departement")) return ImportFormat.CommunesGeoJson;
            throw new ImportException($"{Path.GetFileName(path)}: a GeoJSON file whose features are neither communes "
                + "(code, departement) nor départements (insee_dep).");
        }
        var element = root.ValueKind == JsonValueKind.Array ? root.EnumerateArray().FirstOrDefault() : root;
        if (element.ValueKind != JsonValueKind.Object)
            throw new ImportException($"{Path.GetFileName(path)}: expected a JSON array of objects.");
        var keys = Keys(element);
        if (keys.Contains("raison_sociale")
            && (keys.Contains("nb_cnfs") || keys.Contains("siret"))) return ImportFormat.ConseillersNumeriquesJson;
        if (keys.Contains("pivot") && keys.Contains("nom"))
        {
            if (IsV01(keys)) return ImportFormat.SchemaV01Json;
            if (IsV1(keys)) return ImportFormat.SchemaV1Json;
            // Only fields common to both versions: the separator in services tells (';' before v1, '|' since).
            var services = element.TryGetProperty("services", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
            return services is not null && services.Contains(';') ? ImportFormat.SchemaV01Json : ImportFormat.SchemaV1Json;
        }
        if (keys.Contains("type") && keys.Contains("code") && keys.Contains("departement")) return ImportFormat.CommunesJson;
        if (keys.Contains("chefLieu") && keys.Contains("region")) return ImportFormat.DepartementsJson;
        if (keys.Contains("chefLieu") && keys.Contains("code")) return ImportFormat.RegionsJson;
        throw new ImportException($"{Path.GetFileName(path)}: JSON not recognised; pass --format.");
    }

    /// <summary>A broken file (e.g. a download cut short) is the user's to know about, not a crash.</summary>
    private static JsonDocument ParseJson(string path, Stream stream)
    {
        try
        {
            return JsonDocument.Parse(stream, new JsonDocumentOptions { AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new ImportException($"{Path.GetFileName(path)} is not valid JSON: {e.Message}", e);
        }
    }

    private static HashSet<string> Keys(JsonElement obj) => obj.EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// The dataset name used as half of the upsert key: the file name without its leading date and extension, so that a
    /// newer release of the same file updates the same records (<c>2024-08-01_france-services_liste-fs.csv</c> →
    /// <c>france-services_liste-fs</c>).
    /// </summary>
    public static string DatasetName(string fileName)
    {
        var name = Path.GetFileName(fileName);
        foreach (var ext in new[] { ".geojson", ".json", ".csv" })
            if (name.EndsWith(ext, StringComparison.OrdinalIgnoreCase)) name = name[..^ext.Length];
        return LeadingDate().Replace(name, "");
    }

    [GeneratedRegex(@"^\d{4}-?\d{2}(-?\d{2})?[_-]")]
    private static partial Regex LeadingDate();
}
