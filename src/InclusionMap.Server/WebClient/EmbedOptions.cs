using Microsoft.Extensions.Options;

namespace InclusionMap.Server.WebClient;

/// <summary>
/// Who may frame <c>/embed</c> (configuration section <c>InclusionMap:Embed</c>). Every other page refuses framing.
/// </summary>
public sealed class EmbedOptions
{
    public const string Section = "InclusionMap:Embed";

    /// <summary>
    /// Origins allowed to show <c>/embed</c> in an iframe, written <c>https://host[:port]</c>. Empty (the default): any
    /// site may, as partner sites are many and the page shows only public data.
    /// </summary>
    public List<string> AllowedOrigins { get; set; } = [];

    /// <summary>
    /// The origin as a Content-Security-Policy source (<c>https://host[:port]</c>), or null when it is not a bare http(s) origin.
    /// </summary>
    public static string? Origin(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Host.Length > 0
        && uri.UserInfo.Length == 0 && uri.PathAndQuery == "/" && uri.Fragment.Length == 0 && !value.Contains('*') && !value.Contains('?')
            ? uri.GetLeftPart(UriPartial.Authority)
            : null;

    /// <summary>Refuses at start anything that is not a bare origin: a path, a wildcard or a keyword would change the policy.</summary>
    public sealed class Validator : IValidateOptions<EmbedOptions>
    {
        public ValidateOptionsResult Validate(string? name, EmbedOptions options)
        {
            var bad = options.AllowedOrigins.Where(o => Origin(o) is null).Select(o => $"'{o}'").ToList();
            return bad.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(
                $"{Section}:AllowedOrigins: {string.Join(", ", bad)} is not an origin such as https://www.example.fr "
                + "(scheme, host, optional port; no path).");
        }
    }
}
