using System.ComponentModel.DataAnnotations;
using System.Net;

namespace InclusionMap.Server.Limits;

/// <summary>
/// The reverse proxies whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are believed (configuration section
/// <c>InclusionMap:ReverseProxy</c>). None by default: the address of the connection is the client's, since anyone can
/// write those headers and would otherwise choose their own rate-limit budget.
/// </summary>
public sealed class ReverseProxyOptions : IValidatableObject
{
    public const string Section = "InclusionMap:ReverseProxy";

    /// <summary>Addresses of the proxies, e.g. <c>127.0.0.1</c> for one on this machine.</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks of the proxies in CIDR notation, e.g. <c>10.0.0.0/8</c>.</summary>
    public List<string> KnownNetworks { get; set; } = [];

    /// <summary>Proxies in a row in front of the server (each appends an address to <c>X-Forwarded-For</c>): each must be known.</summary>
    [Range(1, 10)]
    public int ForwardLimit { get; set; } = 1;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var proxy in KnownProxies.Where(p => !IPAddress.TryParse(p, out _)))
            yield return new ValidationResult($"'{proxy}' is not an IP address.", [nameof(KnownProxies)]);
        foreach (var network in KnownNetworks.Where(n => !IPNetwork.TryParse(n, out _)))
            yield return new ValidationResult($"'{network}' is not a network such as 10.0.0.0/8.", [nameof(KnownNetworks)]);
    }
}
