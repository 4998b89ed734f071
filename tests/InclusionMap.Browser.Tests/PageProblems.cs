using Microsoft.Playwright;

namespace InclusionMap.Browser.Tests;

/// <summary>
/// What a page reported: Content-Security-Policy violations (events in every frame, shadow roots included; requests
/// blocked by the policy, workers' too), console errors, uncaught exceptions and HTTP errors.
/// </summary>
internal sealed class PageProblems
{
    private readonly List<string> _reported = [];
    private readonly IPage _page;

    private PageProblems(IPage page)
    {
        _page = page;
        page.Console += (_, message) =>
        {
            if (message.Type == "error") _reported.Add($"console: {message.Text} ({message.Location})");
        };
        page.PageError += (_, error) => _reported.Add($"uncaught: {error}");
        page.RequestFailed += (_, request) =>
        {
            if (request.Failure is { } failure
                && (failure.Contains("csp", StringComparison.OrdinalIgnoreCase)
                    || failure.Contains("BLOCKED", StringComparison.Ordinal)))
                _reported.Add($"blocked: {request.Url} ({request.Failure})");
        };
        page.Response += (_, response) =>
        {
            if (response.Status < 400) return;
            var introspection = response.Request.PostData?.Contains("query IntrospectionQuery", StringComparison.Ordinal) == true
                ? " IntrospectionQuery"
                : "";
            _reported.Add($"http {response.Status} {response.Request.Method} {new Uri(response.Url).AbsolutePath}{introspection}");
        };
    }

    public static async Task<PageProblems> WatchAsync(IPage page)
    {
        await page.AddInitScriptAsync("""
            window.__violations = [];
            document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(
              `${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber} ${e.sample}`), true);
            """);
        return new PageProblems(page);
    }

    /// <param name="allowed">Problems known and reported elsewhere, left out.</param>
    public async Task AssertNoneAsync(Func<string, bool>? allowed = null)
    {
        var all = (await AllAsync()).Where(p => allowed?.Invoke(p) != true).ToList();
        Assert.True(all.Count == 0,
            $"{all.Count} problem(s):\n" + string.Join("\n", all.Select(p => p.Length > 400 ? p[..400] + "…" : p)));
    }

    public async Task<List<string>> AllAsync()
    {
        var found = new List<string>(_reported);
        foreach (var frame in _page.Frames)
        {
            var violations = await frame.EvaluateAsync<string[]?>("() => window.__violations ?? null") ?? [];
            found.AddRange(violations.Select(v => $"csp ({frame.Url}): {v}"));
        }
        return found;
    }

    /// <summary>Waits for the page's signal; if it never comes, fails with what the page reported.</summary>
    public static async Task WaitAsync(IPage page, string selector, PageProblems? problems = null)
    {
        try
        {
            await page.Locator(selector).First.WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 60_000 });
        }
        catch (TimeoutException) when (problems is not null)
        {
            Assert.Fail($"{selector} never appeared; the page reported: {string.Join(" | ", await problems.AllAsync())}");
        }
    }
}
