using Fresco.Engine.Training;

namespace Fresco.Engine.Models;

/// <summary>
/// A 64-bit fingerprint of one user's history (items by outside id, with their summed weights), independent of
/// item numbering and order. Stored per user with a model version, it tells after a restart which users have not
/// changed since the model was trained, so they keep being scored from the model's own user row as they were
/// before the restart. Thread-safe (static).
/// </summary>
internal static class HistoryFingerprint
{
    private const ulong ItemSeed = 0x5EED_F1D0;

    /// <summary>The hash of each item id, by index.</summary>
    public static ulong[] ItemHashes(int count, Func<int, string> itemId)
    {
        var hashes = new ulong[count];
        for (var i = 0; i < count; i++)
        {
            hashes[i] = StableHash.Of(itemId(i), ItemSeed);
        }
        return hashes;
    }

    /// <summary>The fingerprint of a history; <paramref name="items"/> index <paramref name="itemHashes"/>.</summary>
    public static ulong Of(ReadOnlySpan<int> items, ReadOnlySpan<float> weights, ReadOnlySpan<ulong> itemHashes)
    {
        var sum = 0UL;
        for (var i = 0; i < items.Length; i++)
        {
            var weight = BitConverter.SingleToUInt32Bits(weights[i]);
            sum += StableHash.Mix(itemHashes[items[i]] + (0x9E3779B97F4A7C15UL * (weight + 1UL)));
        }
        return StableHash.Mix(sum ^ (ulong)items.Length);
    }
}
