namespace InclusionMap.Core.Places;

public enum AddressMatch
{
    /// <summary>Same street and same house number (or both without number and within 60 m).</summary>
    Same,
    /// <summary>Same street, one side without a house number.</summary>
    Compatible,
    /// <summary>Different street or different house number.</summary>
    Different,
}
