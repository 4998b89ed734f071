using System.Diagnostics;
using System.Text;
using InclusionMap.Data.Import;
using InclusionMap.Testing;

namespace InclusionMap.Data.Tests;

/// <summary>
/// <see cref="RemoteFile"/> against a hostile local server: names the server sends never choose the path, a broken, lying,
/// oversized or trickling answer fails with a clear message, and the private directory is gone afterwards in every case.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class RemoteFileTests : IAsyncLifetime
{
    /// <summary>The test's own folder; downloads go to its <c>downloads</c> folder, so a traversal would land in the test folder.</summary>
    private readonly string _directory = Directory.CreateTempSubdirectory("inclusionmap-remotefile-test-").FullName;
    private readonly string _downloads;
    private readonly HostileHttpServer _server;
    private readonly HttpClient _http = RemoteFile.CreateHttpClient();
    private static readonly byte[] Content =
        Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 4000).Select(i => $"line {i:0000}\n")));
    private const long Limit = 64 * 1024;

    public RemoteFileTests()
    {
        _downloads = Directory.CreateDirectory(Path.Combine(_directory, "downloads")).FullName;
        _server = HostileHttpServer.Downloads(Content, AbsoluteTarget, Limit + 1);
    }

    private string AbsoluteTarget => Path.Combine(_directory, "absolute-target.json");

    private DownloadOptions Options(TimeSpan? timeout = null) =>
        new() { MaxDownloadBytes = Limit, DownloadTimeout = timeout ?? TimeSpan.FromSeconds(60), DownloadDirectory = _downloads };

    private Task<RemoteFile> DownloadAsync(string path, DownloadOptions? options = null, CancellationToken ct = default) =>
        RemoteFile.DownloadAsync(_http, new Uri(_server.Url(path)), options ?? Options(), ct);

    [Theory]
    [InlineData("/cd-plain/2024-01-02_lieux-a.json", "2024-01-02_lieux-a.json")]
    [InlineData("/cd-star/lieux-b.json", "lieux-b.json")]
    [InlineData("/cd-absolute/lieux-c.json", "lieux-c.json")]
    [InlineData("/moved/lieux-d.json", "lieux-d.json")]
    public async Task The_file_is_named_from_the_url_given_whatever_the_server_says(string path, string expected)
    {
        using (var file = await DownloadAsync(path))
        {
            Assert.Equal(expected, Path.GetFileName(file.Path));
            Assert.Equal(Content, await File.ReadAllBytesAsync(file.Path));
            var directory = Path.GetDirectoryName(file.Path)!;
            Assert.Equal(_downloads, Path.GetDirectoryName(directory));
            Assert.StartsWith(RemoteFile.DirectoryPrefix, Path.GetFileName(directory));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(directory));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file.Path));
        }
        Assert.Empty(Directory.EnumerateFileSystemEntries(_downloads));
        // What the server's names point at, relative to the private directory or absolute: nothing was written there.
        Assert.Equal(["downloads"], Directory.EnumerateFileSystemEntries(_directory).Select(Path.GetFileName));
        Assert.False(File.Exists(AbsoluteTarget));
        if (path.StartsWith("/moved/", StringComparison.Ordinal))
            Assert.Equal(["/moved/lieux-d.json", "/cd-star/other-name.json"], _server.Requests);
    }

    [Theory]
    [InlineData("/truncated/x.json", "the download broke off after 20000 bytes")]
    [InlineData("/declared-too-large/x.json", "larger than 65536 bytes, the limit set by InclusionMap:Import:MaxDownloadBytes")]
    [InlineData("/chunked-too-large/x.json", "larger than 65536 bytes, the limit set by InclusionMap:Import:MaxDownloadBytes")]
    [InlineData("/missing/x.json", "the server answered 404 Not Found")]
    public async Task A_broken_or_oversized_answer_fails_clearly_and_leaves_nothing(string path, string expected)
    {
        var error = await Assert.ThrowsAsync<ImportException>(() => DownloadAsync(path));
        Assert.StartsWith($"{_server.Url(path)}: {expected}", error.Message);
        Assert.DoesNotContain('\n', error.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_downloads));
    }

    [Fact]
    public async Task A_content_length_below_what_is_sent_frames_the_body_and_the_rest_is_never_read()
    {
        using var file = await DownloadAsync("/short-length/x.json");
        Assert.Equal(Content[..(Content.Length / 2)], await File.ReadAllBytesAsync(file.Path));
    }

    [Fact]
    public async Task A_server_that_trickles_bytes_is_cut_off_at_the_deadline()
    {
        // The server sends a byte every 100 ms (over an hour for the whole file); the deadline is 1 s. The upper bound is
        // generous for a loaded machine: what matters is that the download stops near its deadline, not at the file's end.
        var watch = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<ImportException>(() =>
            DownloadAsync("/trickle/x.json", Options(TimeSpan.FromSeconds(1))).WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.InRange(watch.Elapsed.TotalSeconds, 0.9, 20);
        Assert.StartsWith($"{_server.Url("/trickle/x.json")}: the download did not finish within 1 s (", error.Message);
        Assert.EndsWith("the limit is InclusionMap:Import:DownloadTimeout).", error.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_downloads));
    }

    [Fact]
    public async Task Cancellation_stays_a_cancellation_and_leaves_nothing()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => DownloadAsync("/trickle/x.json", ct: cancel.Token));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_downloads));
    }

    [Theory]
    [InlineData("ftp://127.0.0.1/lieux.csv")]
    [InlineData("file:///etc/passwd")]
    public async Task Only_http_and_https_are_downloaded(string url)
    {
        var error = await Assert.ThrowsAsync<ImportException>(() => RemoteFile.DownloadAsync(_http, new Uri(url), Options(), default));
        Assert.EndsWith(": only http and https URLs can be imported.", error.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_downloads));
    }

    [Theory]
    [InlineData("https://example.org/data/2024-08-01_france-services_liste-fs.csv", "2024-08-01_france-services_liste-fs.csv")]
    [InlineData("https://example.org/files/..%2F..%2Fetc%2Fpasswd", "etc_passwd")]
    [InlineData("https://example.org/a/%2Froot%2F.ssh%2Fauthorized_keys", "root_.ssh_authorized_keys")]
    [InlineData("https://example.org/.bashrc", "download.bashrc")]
    [InlineData("https://example.org/..", "download")]
    [InlineData("https://example.org/-rf.csv", "rf.csv")]
    [InlineData("https://example.org/M%C3%A9diath%C3%A8ques%20de%20l%27Ain.json?token=secret", "Mediatheques_de_l_Ain.json")]
    [InlineData("https://example.org/data/lieux/", "lieux")]
    [InlineData("https://example.org/", "download")]
    [InlineData("https://example.org/%E2%9C%93%E2%9C%93.csv", "download.csv")]
    [InlineData("https://example.org/2024-05-01_.json", "download.json")]
    public void Safe_file_names_keep_letters_digits_dots_dashes_and_underscores(string url, string expected) =>
        Assert.Equal(expected, RemoteFile.SafeFileName(new Uri(url)));

    [Fact]
    public void A_long_name_is_cut_and_keeps_its_extension()
    {
        var name = RemoteFile.SafeFileName(new Uri("https://example.org/" + new string('a', 300) + ".geojson"));
        Assert.Equal(RemoteFile.MaxFileNameLength, name.Length);
        Assert.EndsWith("a.geojson", name);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
