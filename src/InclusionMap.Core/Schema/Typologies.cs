using System.Collections.Frozen;

namespace InclusionMap.Core.Schema;

/// <summary>
/// The data·inclusion "typologies de structure" codes to which schema v1.0.2 restricts <c>typologie</c>
/// (source: gip-inclusion/data-inclusion, pipeline/dbt/seeds/schema/typologies_de_structures.csv, MIT).
/// </summary>
public static class Typologies
{
    public static readonly FrozenSet<string> Codes = new[]
    {
        "ACI", "ACIPHC", "AFPA", "AI", "ASE", "ASSO", "ASSO_CHOMEUR", "AVIP", "Autre", "BIB", "CAARUD", "CADA", "CAF",
        "CAP_EMPLOI", "CAVA", "CC", "CCAS", "CCONS", "CD", "CDAS", "CFP", "CHRS", "CHU", "CIAS", "CIDFF", "CITMET", "CMP",
        "CMS", "CPAM", "CPH", "CS", "CSAPA", "CSC", "DEETS", "DEPT", "DIPLP", "E2C", "EA", "EATT", "EI", "EITI", "ENM",
        "EPCI", "EPI", "EPIDE", "EPN", "ES", "ESS", "ETTI", "EVS", "FABLAB", "FAIS", "FT", "GEIQ", "HUDA", "LA_POSTE",
        "MDE", "MDEF", "MDPH", "MDS", "MJC", "ML", "MQ", "MSA", "MSAP", "MUNI", "OACAS", "ODC", "OF", "OIL", "OPCS", "PAD",
        "PE", "PENSION", "PI", "PIJ_BIJ", "PIMMS", "PJJ", "PLIE", "PREF", "PREVENTION", "REG", "RESSOURCERIE", "RFS",
        "RS_FJT", "SCP", "SPIP", "TIERS_LIEUX", "UDAF",
    }.ToFrozenSet(StringComparer.Ordinal);
}
