using System.Globalization;

namespace Fresco.Benchmarks.Timing;

/// <summary>The timing commands' <c>--name value</c> options. Thread-safe (static, pure).</summary>
internal static class CommandArgs
{
    /// <summary>The value after <paramref name="name"/>, or <paramref name="fallback"/> when absent.</summary>
    public static string Option(string[] args, string name, string fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
    }

    /// <summary>The integer after <paramref name="name"/>, or <paramref name="fallback"/> when absent.</summary>
    public static int Int(string[] args, string name, int fallback) =>
        int.Parse(Option(args, name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
}
