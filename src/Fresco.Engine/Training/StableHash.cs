namespace Fresco.Engine.Training;

/// <summary>
/// A seeded 64-bit hash of strings that is the same in every process (unlike <see cref="string.GetHashCode()"/>):
/// FNV-1a over the UTF-16 code units, finished with the SplitMix64 mixer. Thread-safe (static).
/// </summary>
internal static class StableHash
{
    public static ulong Of(string text, ulong seed)
    {
        var hash = 14695981039346656037UL ^ Mix(seed);
        foreach (var c in text)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }
        return Mix(hash);
    }

    /// <summary>The SplitMix64 finalizer: every input bit affects every output bit.</summary>
    public static ulong Mix(ulong value)
    {
        value = (value ^ (value >> 30)) * 0xBF58476D1CE4E5B9UL;
        value = (value ^ (value >> 27)) * 0x94D049BB133111EBUL;
        return value ^ (value >> 31);
    }

    /// <summary>A hash mapped to [0, 1) with 53 bits of resolution.</summary>
    public static double ToUnit(ulong hash) => (hash >> 11) * (1.0 / (1UL << 53));
}
