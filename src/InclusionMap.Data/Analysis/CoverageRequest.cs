using InclusionMap.Core.Schema;

namespace InclusionMap.Data.Analysis;

/// <summary>What a coordinator asks: which communes, what counts as help, how far is too far, how many new sites.</summary>
public sealed record CoverageRequest
{
    /// <summary>The département studied (or null with <see cref="CommuneCodes"/> or <see cref="WholeCountry"/>).</summary>
    public string? DepartementCode { get; init; }
    /// <summary>Every commune of France in one run (the national benchmark; the greedy then chooses among all communes).</summary>
    public bool WholeCountry { get; init; }
    /// <summary>Any set of communes instead of (or within) a département.</summary>
    public IReadOnlyList<string>? CommuneCodes { get; init; }
    /// <summary>A site counts as help if it offers one of these services (all sites when empty).</summary>
    public IReadOnlyList<Service>? Services { get; init; }
    /// <summary>… and welcomes one of these publics specifically (when given).</summary>
    public IReadOnlyList<Public>? Publics { get; init; }
    /// <summary>… and offers one of these modes of support (when given).</summary>
    public IReadOnlyList<ModaliteAccompagnement>? Modalites { get; init; }
    /// <summary>… and belongs to one of these national programmes (when given).</summary>
    public IReadOnlyList<DispositifProgrammeNational>? Programmes { get; init; }
    /// <summary>Straight-line distance beyond which people are "far from help".</summary>
    public double ThresholdMeters { get; init; } = CoverageAnalysis.DefaultThresholdMeters;
    /// <summary>How many new sites to suggest.</summary>
    public int Suggestions { get; init; } = 3;
}
