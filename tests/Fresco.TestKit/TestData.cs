using Xunit;

namespace Fresco.TestKit;

/// <summary>
/// Where the research data sets live: <c>FRESCO_DATA</c>, else <c>../shared/data</c> found by walking up
/// from the test's folder. A test that needs one calls <see cref="RequireFile"/>, which reports the test as
/// skipped, with the reason, when the data is absent.
/// </summary>
public static class TestData
{
    public static string? Root { get; } = FindRoot();

    public static string RequireFile(string relativePath)
    {
        if (Root is null)
        {
            Assert.Skip("Benchmark data not found: set FRESCO_DATA or place ../shared/data beside the repository.");
        }
        var path = Path.Combine(Root, relativePath);
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            Assert.Skip($"Benchmark data '{relativePath}' not found under {Root}.");
        }
        return path;
    }

    private static string? FindRoot()
    {
        var configured = Environment.GetEnvironmentVariable("FRESCO_DATA");
        if (!string.IsNullOrEmpty(configured))
        {
            return Directory.Exists(configured) ? Path.GetFullPath(configured) : null;
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "data");
            if (Directory.Exists(candidate) && dir.GetDirectories(".git").Length == 0)
            {
                return candidate;
            }
            var sibling = Path.Combine(dir.FullName, "..", "shared", "data");
            if (File.Exists(Path.Combine(dir.FullName, "Fresco.slnx")) && Directory.Exists(sibling))
            {
                return Path.GetFullPath(sibling);
            }
        }
        return null;
    }
}
