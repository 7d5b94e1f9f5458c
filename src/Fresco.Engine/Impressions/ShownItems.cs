namespace Fresco.Engine.Impressions;

/// <summary>
/// What one user was shown lately: per live item index, the last time it was shown (UTC ticks) and the answer that
/// showed it, oldest first, at most one entry per item. Immutable: a new showing makes a new instance
/// (<see cref="With"/>), so readers need no lock.
/// </summary>
internal sealed class ShownItems
{
    public static readonly ShownItems Empty = new([], [], []);

    private ShownItems(int[] items, long[] ticks, string[] answers)
    {
        Items = items;
        Ticks = ticks;
        Answers = answers;
    }

    /// <summary>Live item indices, oldest showing first.</summary>
    public int[] Items { get; }

    /// <summary>When each of <see cref="Items"/> was last shown (UTC ticks).</summary>
    public long[] Ticks { get; }

    /// <summary>The recommendation id of the answer that last showed each of <see cref="Items"/>.</summary>
    public string[] Answers { get; }

    /// <summary>The newest showing (UTC ticks), or 0 when empty.</summary>
    public long LastTicks => Ticks.Length == 0 ? 0 : Ticks[^1];

    /// <summary>
    /// This list plus <paramref name="shown"/> at <paramref name="ticks"/> by <paramref name="answer"/>: entries older than
    /// <paramref name="oldestTicks"/> or replaced by the new showing drop out, and at most the <paramref name="max"/> newest stay.
    /// O(current + shown); allocates the new arrays.
    /// </summary>
    public ShownItems With(ReadOnlySpan<int> shown, long ticks, string answer, long oldestTicks, int max)
    {
        var kept = new List<int>(Items.Length);
        for (var i = 0; i < Items.Length; i++)
        {
            if (Ticks[i] >= oldestTicks && !shown.Contains(Items[i]))
            {
                kept.Add(i);
            }
        }
        var fresh = 0;
        for (var i = 0; i < shown.Length; i++)
        {
            if (shown.IndexOf(shown[i]) == i)
            {
                fresh++;
            }
        }
        var total = Math.Min(max, kept.Count + fresh);
        var skip = kept.Count + fresh - total;
        var items = new int[total];
        var times = new long[total];
        var answers = new string[total];
        var n = 0;
        foreach (var i in kept)
        {
            if (skip > 0)
            {
                skip--;
                continue;
            }
            (items[n], times[n], answers[n]) = (Items[i], Ticks[i], Answers[i]);
            n++;
        }
        for (var i = 0; i < shown.Length; i++)
        {
            if (shown.IndexOf(shown[i]) != i)
            {
                continue;
            }
            if (skip > 0)
            {
                skip--;
                continue;
            }
            (items[n], times[n], answers[n]) = (shown[i], ticks, answer);
            n++;
        }
        return new ShownItems(items, times, answers);
    }

    /// <summary>
    /// The answer that last showed the item at or before <paramref name="atTicks"/> and at or after
    /// <paramref name="oldestTicks"/>; false when there is none.
    /// </summary>
    public bool TryLastShown(int itemIndex, long oldestTicks, long atTicks, out string answer)
    {
        for (var i = Items.Length - 1; i >= 0; i--)
        {
            if (Items[i] == itemIndex && Ticks[i] >= oldestTicks && Ticks[i] <= atTicks)
            {
                answer = Answers[i];
                return true;
            }
        }
        answer = "";
        return false;
    }

    /// <summary>Whether the item was shown at or after <paramref name="oldestTicks"/>.</summary>
    public bool ShownSince(int itemIndex, long oldestTicks)
    {
        for (var i = Items.Length - 1; i >= 0 && Ticks[i] >= oldestTicks; i--)
        {
            if (Items[i] == itemIndex)
            {
                return true;
            }
        }
        return false;
    }
}
