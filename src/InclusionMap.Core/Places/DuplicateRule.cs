using System.Text.RegularExpressions;

namespace InclusionMap.Core.Places;

/// <summary>
/// Decides whether two records of different datasets describe the same place (docs/deduplication.md). Candidates are
/// already in the same commune and within <see cref="DuplicateRuleOptions.MaxDistanceMeters"/>. It prefers missing a
/// duplicate to merging two places:
/// <list type="number">
/// <item>Veto: a bus or itinerant service and a fixed place, a France Services antenna and a main site, a library and
/// anything else, are never the same place.</item>
/// <item>Same service point: the same kind of organisation (France Services, commune, community…) and nearly the same
/// distinctive name (Dice ≥ threshold), whatever the address (sources disagree on addresses).</item>
/// <item>Same building: the same street and house number, and the distinctive words of one name found in the other
/// (containment ≥ threshold − 0.3), or one name only generic ("France Services", "CCAS") — e.g. a community running the
/// France Services at its own seat.</item>
/// </list>
/// </summary>
public static partial class DuplicateRule
{
    public static DuplicateDecision Evaluate(
        DuplicateCandidate a, DuplicateCandidate b, double distanceMeters, DuplicateRuleOptions? options = null)
    {
        options ??= new DuplicateRuleOptions();
        var na = NameFeatures.Of(a.Nom);
        var nb = NameFeatures.Of(b.Nom);
        var dice = Dice(na.Distinctive, nb.Distinctive);
        var containment = Containment(na.Distinctive, nb.Distinctive, a.Nom, b.Nom);
        var address = CompareAddresses(a.Adresse, b.Adresse, distanceMeters);
        DuplicateDecision Decide(bool same, string reason) => new(same, dice, containment, address, na.Kind, nb.Kind, reason);

        if (distanceMeters > options.MaxDistanceMeters) return Decide(false, $"more than {options.MaxDistanceMeters:0} m apart");
        if (na.Mobile != nb.Mobile) return Decide(false, "an itinerant service and a fixed place");
        if (na.Antenna != nb.Antenna) return Decide(false, "an antenna and a main site");
        if (na.Library != nb.Library) return Decide(false, "a library and another kind of place");

        if (na.Kind == nb.Kind && na.Distinctive.Count > 0 && nb.Distinctive.Count > 0 && dice >= options.NameThreshold)
            return Decide(true, $"same service point: same kind ({na.Kind}), names {dice:0.00}");
        if (na.Mobile || nb.Mobile) return Decide(false, "two itinerant services with different names");

        if (address == AddressMatch.Same)
        {
            if (containment >= options.ContainmentThreshold && na.Distinctive.Count > 0 && nb.Distinctive.Count > 0)
                return Decide(true, $"same building: same address, names share {containment:0.00} of their distinctive words");
            if ((na.Distinctive.Count == 0 || nb.Distinctive.Count == 0) && Compatible(na.Kind, nb.Kind))
                return Decide(true, $"same building: same address, a generic name ({(na.Distinctive.Count == 0 ? a.Nom : b.Nom)})");
            return Decide(false, $"same address but different names ({containment:0.00})");
        }
        return Decide(false, address == AddressMatch.Compatible
            ? $"same street without a house number on one side, names {dice:0.00}"
            : $"different addresses, names {dice:0.00}");
    }

    /// <summary>A France Services is often run by, and housed in, another organisation.</summary>
    private static bool Compatible(string kindA, string kindB) =>
        kindA == kindB || kindA == "france-services" || kindB == "france-services";

    private static double Dice(IReadOnlySet<string> a, IReadOnlySet<string> b) =>
        a.Count + b.Count == 0 ? 0 : 2.0 * a.Count(b.Contains) / (a.Count + b.Count);

    private static double Containment(IReadOnlySet<string> a, IReadOnlySet<string> b, string nameA, string nameB)
    {
        if (a.Count == 0 || b.Count == 0) return 0;
        var (small, large) = a.Count <= b.Count ? (a, b) : (b, a);
        var share = (double)small.Count(large.Contains) / small.Count;
        // "APEJ" for "Association aide promotion emploi des jeunes": an acronym of the other name's words.
        if (share < 1 && small.Count == 1)
        {
            var acronym = small.First();
            var initials = string.Concat(Words(a.Count <= b.Count ? nameB : nameA)
                .Where(w => !StopWords.Contains(w) && w.Length > 1)
                .Select(w => w[0]));
            if (acronym.Length >= 3 && initials.Contains(acronym, StringComparison.Ordinal)) share = 1;
        }
        return share;
    }

    // ---------- names ----------

    private sealed record NameFeatures(string Kind, bool Mobile, bool Antenna, bool Library, HashSet<string> Distinctive)
    {
        public static NameFeatures Of(string name)
        {
            var text = " " + string.Join(' ', Words(name).Select(w => Abbreviations.GetValueOrDefault(w, w))) + " ";
            var found = new List<string>();
            foreach (var (candidate, phrases) in Kinds)
                foreach (var phrase in phrases)
                    if (text.Contains($" {phrase} ", StringComparison.Ordinal))
                    {
                        found.Add(candidate);
                        text = text.Replace($" {phrase} ", " ", StringComparison.Ordinal);
                    }
            var mobile = found.Contains("itinerant");
            var antenna = text.Contains(" antenne ", StringComparison.Ordinal);
            var library = found.Contains("library");
            // The kind that names the place: a France Services run by a commune is a France Services.
            var kind = KindPriority.FirstOrDefault(found.Contains) ?? "other";
            var distinctive = text.Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Where(w => !StopWords.Contains(w) && !GenericWords.Contains(w) && (w.Length > 1 || char.IsDigit(w[0])))
                .ToHashSet(StringComparer.Ordinal);
            return new NameFeatures(kind, mobile, antenna, library, distinctive);
        }
    }

    private static readonly string[] KindPriority =
        ["itinerant", "france-services", "library", "ccas", "pimms", "social-centre", "departement", "la-poste", "community", "commune"];

    /// <summary>Phrases (folded, abbreviations expanded) that say what kind of organisation a name designates.</summary>
    private static readonly (string Kind, string[] Phrases)[] Kinds =
    [
        ("itinerant", ["bus", "itinerant", "itinerante", "mobile", "camion"]),
        ("france-services", ["maison france services", "espaces france services", "espace france services", "espaces france service",
            "espace france service", "france services", "france service", "maison de services au public", "maison de service au public",
            "msap"]),
        ("library", ["mediatheque", "bibliotheque"]),
        ("ccas", ["centre communal d action sociale", "centre intercommunal d action sociale", "centre communal action sociale", "ccas",
            "cias"]),
        ("pimms", ["point information mediation multi services", "pimms mediation", "pimms"]),
        ("social-centre", ["centre social et culturel", "centre socioculturel", "centre social", "espace social et culturel",
            "maison des habitants"]),
        ("departement", ["maison du departement", "departement", "maison des alpes maritimes"]),
        ("la-poste", ["la poste", "agence postale"]),
        ("community", ["communaute de communes", "communaute de commune", "communaute communes", "communaute de com",
            "communaute d agglomeration", "communaute d agglo", "communaute urbaine", "agglomeration", "agglo", "intercom", "metropole",
            "communaute", "cc", "ca"]),
        ("commune", ["hotel de ville", "commune de", "commune d", "commune du", "commune des", "commune", "mairie de", "mairie d",
            "mairie du", "mairie", "ville de"]),
    ];

    private static readonly Dictionary<string, string> Abbreviations = new(StringComparer.Ordinal)
    {
        ["st"] = "saint", ["ste"] = "sainte", ["sts"] = "saints", ["ctre"] = "centre", ["com"] = "communal", ["asso"] = "association",
        ["ass"] = "association", ["ccom"] = "cc", ["intercommunale"] = "intercom",
    };

    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "de", "du", "des", "la", "le", "les", "l", "d", "et", "a", "au", "aux", "en", "sur", "sous", "lez", "lès", "pour", "par", "un",
        "une", "the",
    };

    /// <summary>Words that do not tell one place from another.</summary>
    private static readonly HashSet<string> GenericWords = new(StringComparer.Ordinal)
    {
        "association", "multisites", "site", "siege", "permanence", "antenne", "espace", "espaces", "maison", "services", "service",
        "france", "accueil", "point", "centre", "numerique", "mediation", "structure", "action", "sociale", "social", "communal",
        "intercommunal",
    };

    // ---------- addresses ----------

    /// <summary>Compares two addresses: house numbers ("12", "12 bis", "12-14", "7 - 9") and the core words of the street.</summary>
    public static AddressMatch CompareAddresses(string? a, string? b, double distanceMeters)
    {
        var pa = ParseAddress(a);
        var pb = ParseAddress(b);
        if (pa.Street.Count == 0 || pb.Street.Count == 0) return AddressMatch.Different;
        var (small, large) = pa.Street.Count <= pb.Street.Count ? (pa.Street, pb.Street) : (pb.Street, pa.Street);
        var sameStreet = (double)small.Count(large.Contains) / small.Count >= 0.75;
        if (!sameStreet) return AddressMatch.Different;
        if (pa.Numbers.Count > 0 && pb.Numbers.Count > 0)
            return pa.Numbers.Overlaps(pb.Numbers) ? AddressMatch.Same : AddressMatch.Different;
        if (pa.Numbers.Count == 0 && pb.Numbers.Count == 0) return distanceMeters <= 60 ? AddressMatch.Same : AddressMatch.Compatible;
        return AddressMatch.Compatible;
    }

    private sealed record ParsedAddress(HashSet<string> Numbers, HashSet<string> Street);

    private static ParsedAddress ParseAddress(string? address)
    {
        if (string.IsNullOrWhiteSpace(address)) return new([], []);
        // The street line: before the first comma, without a trailing "postcode city".
        var line = TextSearch.Fold(address.Split(',')[0]);
        line = TrailingPostcode().Replace(line, "");
        var numbers = new HashSet<string>(StringComparer.Ordinal);
        var match = HouseNumbers().Match(line);
        if (match.Success)
        {
            foreach (Capture c in match.Groups["n"].Captures)
            {
                var n = c.Value.Replace(" ", "", StringComparison.Ordinal);
                numbers.Add(n);
            }
            line = line[match.Length..];
        }
        var street = Words(line).Select(w => Abbreviations.GetValueOrDefault(w, StreetAbbreviations.GetValueOrDefault(w, w)))
            .Where(w => !StopWords.Contains(w) && !StreetTypes.Contains(w) && w.Length > 0).ToHashSet(StringComparer.Ordinal);
        return new ParsedAddress(numbers, street);
    }

    private static readonly Dictionary<string, string> StreetAbbreviations = new(StringComparer.Ordinal)
    {
        ["av"] = "avenue", ["ave"] = "avenue", ["bd"] = "boulevard", ["bld"] = "boulevard", ["pl"] = "place", ["r"] = "rue",
        ["rte"] = "route", ["ch"] = "chemin", ["chem"] = "chemin", ["all"] = "allee", ["imp"] = "impasse", ["sq"] = "square",
        ["crs"] = "cours", ["pro"] = "promenade", ["prom"] = "promenade", ["ld"] = "lieudit", ["res"] = "residence", ["gal"] = "general",
        ["gen"] = "general", ["mal"] = "marechal", ["dr"] = "docteur", ["pdt"] = "president", ["fg"] = "faubourg", ["qu"] = "quai",
        ["esp"] = "esplanade", ["mte"] = "montee",
    };

    private static readonly HashSet<string> StreetTypes = new(StringComparer.Ordinal)
    {
        "rue", "avenue", "boulevard", "place", "route", "chemin", "allee", "allees", "impasse", "square", "cours", "promenade", "lieudit",
        "residence", "quai", "esplanade", "passage", "parvis", "voie", "montee", "faubourg", "rampe", "sentier", "zac", "za", "zae", "zi",
        "lotissement", "lot",
    };

    private static IEnumerable<string> Words(string text) =>
        NonWord().Split(TextSearch.Fold(text)).Where(w => w.Length > 0);

    [GeneratedRegex(@"[^a-z0-9]+")]
    private static partial Regex NonWord();

    [GeneratedRegex(@"\s\d{5}(\s.*)?$")]
    private static partial Regex TrailingPostcode();

    /// <summary>"12", "12 bis", "8 a", "12-14", "7 - 9", "12 et 14" at the start of the line.</summary>
    [GeneratedRegex(@"^\s*(?<n>\d+\s?(?:bis|ter|quater|[a-h](?![a-z]))?)"
        + @"(?:\s*(?:-|et|/|,)\s*(?<n>\d+\s?(?:bis|ter|quater|[a-h](?![a-z]))?))*\b")]
    private static partial Regex HouseNumbers();
}
