using System.ComponentModel.DataAnnotations;

namespace InclusionMap.Server.Limits;

/// <summary>
/// The requests one client address may send, per class of request (configuration section <c>InclusionMap:RateLimits</c>),
/// and how many analyses and printable maps the whole server computes at once. The defaults leave a resident, a
/// coordinator, or a library's public computers behind one address well inside them; a benchmark raises them.
/// </summary>
public sealed class RateLimitOptions : IValidatableObject
{
    public const string Section = "InclusionMap:RateLimits";

    public RateLimitWindow Search { get; set; } = new() { PermitLimit = 1_200 };
    public RateLimitWindow Analysis { get; set; } = new() { PermitLimit = 60 };
    public RateLimitWindow Maps { get; set; } = new() { PermitLimit = 30 };
    public RateLimitWindow Tiles { get; set; } = new() { PermitLimit = 3_000 };

    /// <summary>Analyses and printable maps computed at once, whoever asks (each can keep a core busy for seconds).</summary>
    [Range(1, 64)]
    public int AnalysisConcurrency { get; set; } = 2;

    /// <summary>Analyses and printable maps waiting for their turn; beyond these, 503 at once.</summary>
    [Range(0, 1_000)]
    public int AnalysisQueue { get; set; } = 4;

    public RateLimitWindow For(RequestClass requestClass) => requestClass switch
    {
        RequestClass.Search => Search,
        RequestClass.Analysis => Analysis,
        RequestClass.Maps => Maps,
        RequestClass.Tiles => Tiles,
        _ => throw new ArgumentOutOfRangeException(nameof(requestClass), requestClass, "This class is not limited."),
    };

    /// <summary>The windows' own ranges (the validator does not look inside nested objects).</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, window) in new[] { ("Search", Search), ("Analysis", Analysis), ("Maps", Maps), ("Tiles", Tiles) })
        {
            var errors = new List<ValidationResult>();
            Validator.TryValidateObject(window, new ValidationContext(window), errors, validateAllProperties: true);
            foreach (var e in errors) yield return new ValidationResult(e.ErrorMessage, e.MemberNames.Select(m => $"{name}:{m}"));
        }
    }
}
