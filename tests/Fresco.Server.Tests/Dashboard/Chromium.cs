using Microsoft.Playwright;

namespace Fresco.Server.Tests.Dashboard;

/// <summary>
/// Debian's chromium (<c>/usr/bin/chromium</c>, or <c>FRESCO_CHROMIUM</c>) driven by Playwright, one browser per test
/// class. Playwright's own browser download is never used (this machine cannot fetch one). Without the browser the
/// tests are skipped with the reason, except under <c>CI=true</c>, where they fail (CI installs chromium). Thread-safe
/// for <see cref="NewPageAsync"/> (Playwright's browser is).
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    private static readonly string[] s_args = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private string? _unavailable;

    public static string ExecutablePath { get; } = Environment.GetEnvironmentVariable("FRESCO_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    /// <summary>Where the tests save their screenshots (docs/dashboard.md shows copies).</summary>
    public static string Screenshots { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            _unavailable = $"no browser at {ExecutablePath} (apt-get install chromium, or set FRESCO_CHROMIUM)";
            return;
        }
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ExecutablePath, Args = s_args, Headless = true });
    }

    /// <summary>A page in a fresh context (own session storage); <see cref="BrowserPage.DisposeAsync"/> checks the console.</summary>
    public async Task<BrowserPage> NewPageAsync(Uri server, BrowserNewContextOptions? options = null)
    {
        if (_unavailable is not null)
        {
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Fail("the browser tests need chromium under CI=true: " + _unavailable);
            }
            Assert.Skip("Browser tests skipped: " + _unavailable);
        }
        options ??= new BrowserNewContextOptions();
        options.BaseURL = server.ToString();
        options.AcceptDownloads = true;
        var context = await _browser!.NewContextAsync(options);
        // 30 s: a download or a page load on a loaded 2-core CI machine took over 15 s once; a passing run never waits.
        context.SetDefaultTimeout(30_000);
        return new BrowserPage(context, await context.NewPageAsync());
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }
        _playwright?.Dispose();
    }
}
