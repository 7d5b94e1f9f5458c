namespace Fresco.Engine.Storage.InMemory;

/// <summary>
/// A store in memory, for tests and throw-away runs; nothing survives the process. Thread-safe: one lock guards
/// all state, so every call is atomic. Disposing keeps the data (reopening a test store returns the same instance).
/// </summary>
public sealed partial class InMemoryStore : IStore
{
    private readonly Lock _lock = new();
    private readonly SortedDictionary<string, User> _users = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, Item> _items = new(StringComparer.Ordinal);
    private readonly SortedDictionary<long, Feedback> _feedback = [];
    private readonly Dictionary<(string Type, string User, string Item), long> _feedbackKeys = [];
    private readonly SortedDictionary<long, (ModelVersion Meta, byte[] Bytes)> _models = [];
    private readonly SortedDictionary<string, StoredScenario> _scenarios = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, StoredExperiment> _experiments = new(StringComparer.Ordinal);
    private long _nextSequence = 1;
    private long _scenarioVersion;
    private long? _serving;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static Page<T> ToPage<T>(List<T> rows, int n, Func<T, string> key)
    {
        if (rows.Count <= n)
        {
            return new Page<T>(rows, "");
        }

        rows.RemoveRange(n, rows.Count - n);
        return new Page<T>(rows, PageCursor.Encode(key(rows[^1])));
    }

    private static Item Normalize(Item item) => item with
    {
        Categories = [.. item.Categories ?? []],
        Labels = [.. item.Labels ?? []],
        Comment = item.Comment ?? "",
        Timestamp = item.Timestamp.ToUniversalTime(),
    };

    private static User Normalize(User user) => user with { Labels = [.. user.Labels ?? []], Comment = user.Comment ?? "" };
}
