using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using InclusionMap.Testing;
using Microsoft.Playwright;

namespace InclusionMap.Browser.Tests;

/// <summary>
/// The real server (real Kestrel, fresh seeded PostGIS database) and one headless Debian Chromium, shared by the browser
/// tests. MapLibre renders with SwiftShader (software WebGL) under --disable-gpu.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public ServerFixture Server { get; } = new();
    public IPlaywright Playwright { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;

    public static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", "--disable-quic",
    ];

    public async Task InitializeAsync()
    {
        await Server.InitializeAsync();
        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await Playwright.Chromium.LaunchAsync(new() { ExecutablePath = ChromiumPath(), Headless = true, Args = ChromiumArgs });
    }

    public static string ChromiumPath() =>
        File.Exists("/usr/bin/chromium") ? "/usr/bin/chromium"
        : throw new FileNotFoundException(
            "Debian's Chromium is required for the browser tests: apt-get install chromium (test.sh does it).");

    /// <summary>A French page of the app; optional viewport, geolocation, permissions.</summary>
    public async Task<IPage> NewPageAsync(int width = 1280, int height = 900, Geolocation? geolocation = null, string[]? permissions = null)
    {
        var context = await Browser.NewContextAsync(new()
        {
            BaseURL = Server.BaseAddress.ToString(),
            ViewportSize = new() { Width = width, Height = height },
            Locale = "fr-FR",
            TimezoneId = "Europe/Paris",
            Geolocation = geolocation,
            Permissions = permissions ?? [],
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(20_000);
        return page;
    }

    /// <summary>Runs axe-core with the WCAG 2.1 A and AA rules and returns the violations, readable.</summary>
    public static async Task<List<string>> AxeViolationsAsync(IPage page, string? include = null)
    {
        var options = new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
        };
        var result = include is null ? await page.RunAxe(options) : await page.Locator(include).RunAxe(options);
        return result.Violations
            .Select(v => $"{v.Id} ({v.Impact}): {v.Help} — {string.Join(" | ", v.Nodes.Take(3).Select(n => string.Join(" ", n.Target)))}")
            .ToList();
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        Playwright.Dispose();
        await Server.DisposeAsync();
    }
}
