using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;

namespace InclusionMap.Data.Import;

/// <summary>
/// A file downloaded from an http(s) URL into a private directory of its own (mode 0700), for an import to read; disposing
/// it removes the directory, and a download that fails removes it before throwing. Nothing the server sends decides where
/// the file goes or what it is called: the name comes from the URL the caller gave (<see cref="SafeFileName"/>), never
/// from <c>Content-Disposition</c> or a redirect target. The body is counted as it arrives, whatever Content-Length says
/// (<see cref="DownloadOptions.MaxDownloadBytes"/>), and one deadline covers connection, redirects, headers and body
/// (<see cref="DownloadOptions.DownloadTimeout"/>), so a server that trickles bytes is cut off. A failure is an
/// <see cref="ImportException"/> with a one-line message; the caller's cancellation stays an <see cref="OperationCanceledException"/>.
/// </summary>
/// <remarks>
/// Shared with the scheduled sync from producers, which asks conditionally: <see cref="DownloadAsync"/> takes the
/// validators of the previous download (<see cref="HttpValidators"/>) and sends them (<c>If-None-Match</c>,
/// <c>If-Modified-Since</c>); a 304 gives a result with <see cref="NotModified"/> and no file, and every result carries
/// the server's new validators.
/// </remarks>
public sealed partial class RemoteFile : IDisposable
{
    /// <summary>The longest file name <see cref="SafeFileName"/> gives.</summary>
    public const int MaxFileNameLength = 100;

    /// <summary>The prefix of every private download directory.</summary>
    public const string DirectoryPrefix = "inclusionmap-download-";

    private readonly string _directory;

    private RemoteFile(Uri uri, string directory, string path, long length, HttpValidators validators, bool notModified)
    {
        Uri = uri;
        _directory = directory;
        Path = path;
        Length = length;
        Validators = validators;
        NotModified = notModified;
    }

    /// <summary>The server answered 304 Not Modified to the validators given: there is no file (<see cref="Path"/> is empty).</summary>
    public bool NotModified { get; }

    /// <summary>The validators the server sent with this answer (those given, for a 304 without any).</summary>
    public HttpValidators Validators { get; }

    /// <summary>The URL as the caller gave it.</summary>
    public Uri Uri { get; }

    /// <summary>The downloaded file, named by <see cref="SafeFileName"/>, inside the private directory.</summary>
    public string Path { get; }

    /// <summary>Bytes received.</summary>
    public long Length { get; }

    /// <summary>
    /// The client downloads need: a few redirects (http and https only; never from https down to http), no cookies, no
    /// automatic decompression (the size limit counts what is written), and no timeout of its own (the download's deadline
    /// covers the body too, which <see cref="HttpClient.Timeout"/> does not).
    /// </summary>
    public static HttpClient CreateHttpClient() => new(new SocketsHttpHandler
    {
        AllowAutoRedirect = true,
        MaxAutomaticRedirections = 5,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
        DefaultRequestHeaders = { { "User-Agent", "InclusionMap" } },
    };

    /// <summary>
    /// Downloads <paramref name="uri"/> (http or https only) within the limits of <paramref name="options"/>; with
    /// <paramref name="previous"/>, only if it changed since (else a <see cref="NotModified"/> result).
    /// </summary>
    public static async Task<RemoteFile> DownloadAsync(HttpClient http, Uri uri, DownloadOptions options, CancellationToken ct,
        HttpValidators? previous = null)
    {
        var shown = Shown(uri);
        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            throw new ImportException($"{shown}: only http and https URLs can be imported.");
        var directory = CreatePrivateDirectory(options.DownloadDirectory);
        long length = 0;
        var downloaded = new HttpValidators(null, null);
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
            deadline.CancelAfter(options.DownloadTimeout);
            var path = System.IO.Path.Combine(directory, SafeFileName(uri));
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, uri);
                if (previous?.ETag is { } etag && EntityTagHeaderValue.TryParse(etag, out var tag)) request.Headers.IfNoneMatch.Add(tag);
                if (previous?.LastModified is { } lastModified && DateTimeOffset.TryParse(lastModified, CultureInfo.InvariantCulture,
                        DateTimeStyles.AssumeUniversal, out var since))
                    request.Headers.IfModifiedSince = since;
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
                var validators = new HttpValidators(response.Headers.ETag?.ToString(),
                    response.Content.Headers.LastModified?.ToString("R", CultureInfo.InvariantCulture));
                if (response.StatusCode == HttpStatusCode.NotModified && previous is not null)
                {
                    DeleteDirectory(directory);
                    return new RemoteFile(uri, directory, "", 0, new(validators.ETag ?? previous.ETag,
                        validators.LastModified ?? previous.LastModified),
                        notModified: true);
                }
                if (!response.IsSuccessStatusCode)
                    throw new ImportException($"{shown}: the server answered {(int)response.StatusCode} {response.ReasonPhrase}.");
                if (response.Content.Headers.ContentLength > options.MaxDownloadBytes) throw TooLarge(shown, options);
                await using var body = await response.Content.ReadAsStreamAsync(deadline.Token);
                await using var file = CreateFile(path);
                var buffer = new byte[81920];
                int read;
                while ((read = await body.ReadAsync(buffer, deadline.Token)) > 0)
                {
                    length += read;
                    if (length > options.MaxDownloadBytes) throw TooLarge(shown, options);
                    await file.WriteAsync(buffer.AsMemory(0, read), deadline.Token);
                }
                downloaded = validators;
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !ct.IsCancellationRequested)
            {
                var setting = DownloadOptions.Setting(nameof(DownloadOptions.DownloadTimeout));
                throw new ImportException(string.Create(CultureInfo.InvariantCulture,
                    $"{shown}: the download did not finish within {Duration(options.DownloadTimeout)} "
                    + $"({length} bytes received; the limit is {setting})."));
            }
            catch (HttpRequestException e)
            {
                throw new ImportException($"{shown}: {OneLine(e)}", e);
            }
            catch (IOException e)
            {
                throw new ImportException(
                    string.Create(CultureInfo.InvariantCulture, $"{shown}: the download broke off after {length} bytes: {OneLine(e)}"), e);
            }
            return new RemoteFile(uri, directory, path, length, downloaded, notModified: false);
        }
        catch
        {
            DeleteDirectory(directory);
            throw;
        }
    }

    /// <summary>
    /// The name a download is stored under, from the last segment of the URL's path (the one the caller gave): percent-decoded,
    /// accents dropped, every character but ASCII letters, digits, '.', '_' and '-' turned into '_', no leading dot, dash or
    /// underscore, at most <see cref="MaxFileNameLength"/> characters with the extension kept (it names the file; the format
    /// is still recognised from the content). When nothing is left before the extension, or of the dataset name the import
    /// derives from it (<see cref="ImportFormats.DatasetName"/>), the name is <c>download</c> with the extension.
    /// </summary>
    public static string SafeFileName(Uri uri)
    {
        var segment = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "";
        var decoded = Uri.UnescapeDataString(segment).Normalize(NormalizationForm.FormD);
        var name = new StringBuilder(decoded.Length);
        foreach (var c in decoded)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue;
            name.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '_');
        }
        var sanitised = Underscores().Replace(name.ToString(), "_");
        var extension = Extension().Match(sanitised).Value;
        var stem = sanitised[..^extension.Length].TrimStart('.', '-', '_');
        var safe = stem[..Math.Min(stem.Length, MaxFileNameLength - extension.Length)] + extension;
        return stem.Length == 0 || ImportFormats.DatasetName(safe).Trim('.', '-', '_').Length == 0 ? "download" + extension : safe;
    }

    /// <summary>Removes the private directory and the file in it.</summary>
    public void Dispose() => DeleteDirectory(_directory);

    /// <summary>The URL as messages show it: scheme, host, port and path (a query or user information may hold a secret).</summary>
    private static string Shown(Uri uri) => uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);

    private static ImportException TooLarge(string shown, DownloadOptions options)
    {
        var setting = DownloadOptions.Setting(nameof(options.MaxDownloadBytes));
        return new($"{shown}: larger than {Bytes(options.MaxDownloadBytes)}, the limit set by {setting}.");
    }

    /// <summary>A directory only this user can enter, under a name nobody can guess, so no one can plant or read the file.</summary>
    private static string CreatePrivateDirectory(string? root)
    {
        var path = System.IO.Path.Combine(root ?? System.IO.Path.GetTempPath(), DirectoryPrefix + Guid.NewGuid().ToString("N"));
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(path);
        else Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    private static FileStream CreateFile(string path)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, Options = FileOptions.Asynchronous,
        };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        return new FileStream(path, options);
    }

    private static void DeleteDirectory(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    private static string OneLine(Exception e)
    {
        var message = e.InnerException is { } inner && !e.Message.Contains(inner.Message, StringComparison.Ordinal)
            ? $"{e.Message} ({inner.Message})"
            : e.Message;
        return message.ReplaceLineEndings(" ");
    }

    private static string Bytes(long bytes) => bytes >= 1024 * 1024
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.#} MiB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes");

    private static string Duration(TimeSpan span) => span.TotalMinutes >= 1 && span.Seconds == 0 && span.Milliseconds == 0
        ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalMinutes:0} min")
        : string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.###} s");

    [GeneratedRegex("_{2,}")]
    private static partial Regex Underscores();

    [GeneratedRegex(@"\.[A-Za-z0-9]{1,15}$")]
    private static partial Regex Extension();
}
