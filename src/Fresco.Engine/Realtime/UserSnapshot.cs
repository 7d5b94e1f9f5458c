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

    public UserSnapshot(int userIndex, int[] items, float[] weights, int[] consumed)
    {
        UserIndex = userIndex;
        _items = items;
        _weights = weights;
        _consumed = consumed;
    }

    /// <summary>The state of an unknown user: no items.</summary>
    public static UserSnapshot Empty { get; } = new(-1, [], [], []);

    public int UserIndex { get; }

    /// <summary>Item indices, oldest to newest by last interaction.</summary>
    public ReadOnlySpan<int> Items => _items;

    /// <summary>Summed weights matching <see cref="Items"/>; all positive.</summary>
    public ReadOnlySpan<float> Weights => _weights;

    /// <summary>Consumed item indices, ascending.</summary>
    public ReadOnlySpan<int> Consumed => _consumed;

    public int Count => _items.Length;

    public bool IsConsumed(int itemIndex) => Array.BinarySearch(_consumed, itemIndex) >= 0;
}
