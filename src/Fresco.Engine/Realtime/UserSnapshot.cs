namespace Fresco.Engine.Realtime;

/// <summary>
/// One user's state at a moment: the positively weighted items ordered oldest to newest by last interaction,
/// their summed weights, and the consumed items (sorted). Immutable: safe to share between threads.
/// </summary>
public sealed class UserSnapshot
{
    private readonly int[] _items;
    private readonly float[] _weights;
    private readonly int[] _consumed;
    private readonly ulong[] _types;

    public UserSnapshot(int userIndex, int[] items, float[] weights, int[] consumed)
        : this(userIndex, items, weights, consumed, new ulong[items.Length])
    {
    }

    /// <summary><paramref name="types"/>: per item, a bit per event type id seen on the pair (see <see cref="LiveInteractions.TypeBit"/>).</summary>
    public UserSnapshot(int userIndex, int[] items, float[] weights, int[] consumed, ulong[] types)
    {
        if (weights.Length != items.Length || types.Length != items.Length)
        {
            throw new ArgumentException("Items, weights and types must have the same length.");
        }
        UserIndex = userIndex;
        _items = items;
        _weights = weights;
        _consumed = consumed;
        _types = types;
    }

    /// <summary>The state of an unknown user: no items.</summary>
    public static UserSnapshot Empty { get; } = new(-1, [], [], []);

    public int UserIndex { get; }

    /// <summary>Items whose summed weight is not positive (disliked): not in <see cref="Items"/>, never recommended. Unordered.</summary>
    public int[] Rejected { get; init; } = [];

    /// <summary>
    /// The user's history is out of memory (<see cref="LiveOptions.UserTtl"/>): this snapshot holds no items; the
    /// engine reloads the user from the store before answering from it.
    /// </summary>
    public bool Evicted { get; init; }

    /// <summary>When it was published: <see cref="LiveInteractions.Version"/> at that moment (0: never written).</summary>
    public long Version { get; init; }

    /// <summary>Item indices, oldest to newest by last interaction.</summary>
    public ReadOnlySpan<int> Items => _items;

    /// <summary>Summed weights matching <see cref="Items"/>; all positive.</summary>
    public ReadOnlySpan<float> Weights => _weights;

    /// <summary>Per item of <see cref="Items"/>, the bits of the event types seen on the pair.</summary>
    public ReadOnlySpan<ulong> Types => _types;

    /// <summary>Consumed item indices, ascending.</summary>
    public ReadOnlySpan<int> Consumed => _consumed;

    public int Count => _items.Length;

    public bool IsConsumed(int itemIndex) => Array.BinarySearch(_consumed, itemIndex) >= 0;
}
