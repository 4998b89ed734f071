using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace InclusionMap.Server.Accounts;

/// <summary>
/// The secrets handed to people (API tokens, one-time links): 32 random bytes, base64url, after a prefix that says what
/// they are; stored only as their SHA-256, so a copy of the database cannot be used to sign in. (A fast hash is enough:
/// the secret has 256 bits of entropy, nothing to guess.)
/// </summary>
public static class SecretTokens
{
    public static string New(string prefix) => prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    /// <summary>Whether a text could be a token of <paramref name="prefix"/> (checked before any database lookup).</summary>
    public static bool LooksLike(string? text, string prefix) =>
        text is { Length: > 0 } && text.Length == prefix.Length + 43 && text.StartsWith(prefix, StringComparison.Ordinal)
        && text.AsSpan(prefix.Length).IndexOfAnyExcept("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") < 0;
}
