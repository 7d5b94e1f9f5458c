using Microsoft.Playwright;

namespace Fresco.Server.Tests.Dashboard;

/// <summary>
/// One browser page of a dashboard test: records every console error and uncaught page error for
/// <see cref="AssertCleanConsole"/>. Dispose closes its browser context. Not thread-safe.
/// </summary>
public sealed class BrowserPage : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly List<string> _errors = [];
    private readonly List<int> _failuresExpected = [];

    public BrowserPage(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
        page.Console += (_, m) =>
        {
            lock (_errors)
            {
                if (m.Type != "error")
                {
                    return;
                }
                var expected = _failuresExpected.FindIndex(status => m.Text.Contains($"status of {status}", StringComparison.Ordinal));
                if (expected >= 0)
                {
                    _failuresExpected.RemoveAt(expected);
                    return;
                }
                _errors.Add($"console: {m.Text} ({m.Location})");
            }
        };
        page.PageError += (_, e) =>
        {
            lock (_errors)
            {
                _errors.Add($"page error: {e}");
            }
        };
    }

    public IPage Page { get; }

    /// <summary>The next 401 the browser logs ("Failed to load resource") is expected: a refused key.</summary>
    public void ExpectOneRefusal() => ExpectOneFailedCall(401);

    /// <summary>The next failed call with this status the browser logs is expected (such as a 400 for a rule the test breaks).</summary>
    public void ExpectOneFailedCall(int status)
    {
        lock (_errors)
        {
            _failuresExpected.Add(status);
        }
    }

    public Task ScreenshotAsync(string name)
    {
        Directory.CreateDirectory(Chromium.Screenshots);
        return Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Chromium.Screenshots, name + ".png"), FullPage = true });
    }

    /// <summary>The texts of a column of a table (1-based), by the table's data-testid.</summary>
    public async Task<string[]> ColumnAsync(string testId, int column) =>
        [.. await Page.GetByTestId(testId).Locator($"tbody tr td:nth-child({column})").AllInnerTextsAsync()];

    public void AssertCleanConsole()
    {
        lock (_errors)
        {
            Assert.True(_errors.Count == 0, "the page logged errors:\n" + string.Join('\n', _errors));
        }
    }

    public async ValueTask DisposeAsync() => await _context.CloseAsync();
}
