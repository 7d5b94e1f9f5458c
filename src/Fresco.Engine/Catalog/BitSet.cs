namespace Fresco.Engine.Catalog;

/// <summary>
/// A growable set of dense indices as bits. Thread-safe: <see cref="Contains"/> never locks (it may miss a write
/// still in flight); writes take a short lock, so a resize never loses a concurrent write.
/// </summary>
internal sealed class BitSet
{
    private readonly Lock _lock = new();
    private ulong[] _words = new ulong[4];

    public bool Contains(int index)
    {
        var words = Volatile.Read(ref _words);
        var word = index >> 6;
        return (uint)word < (uint)words.Length && (Volatile.Read(ref words[word]) & (1UL << index)) != 0;
    }

    public void Set(int index, bool value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        lock (_lock)
        {
            var words = _words;
            var word = index >> 6;
            if (word >= words.Length)
            {
                if (!value)
                {
                    return;
                }
                Array.Resize(ref words, Math.Max(word + 1, words.Length * 2));
                Volatile.Write(ref _words, words);
            }
            var bit = 1UL << index;
            Volatile.Write(ref words[word], value ? words[word] | bit : words[word] & ~bit);
        }
    }
}
