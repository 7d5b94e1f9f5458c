using System.Collections.Concurrent;

namespace Fresco.LoadTest;

/// <summary>Answers counted by HTTP status (0: no answer). Thread-safe.</summary>
internal sealed class StatusCounts
{
    private readonly ConcurrentDictionary<int, long> _counts = new();

    public void Add(int status) => _counts.AddOrUpdate(status, 1, static (_, n) => n + 1);

    public string Summary() =>
        "statuses: " + string.Join(", ", _counts.OrderBy(c => c.Key).Select(c => $"{(c.Key == 0 ? "no answer" : c.Key.ToString(System.Globalization.CultureInfo.InvariantCulture))} x{c.Value}"));
}
