namespace Fresco.Models.Bpr;

/// <summary>SplitMix64 (Steele, Lea, Flood 2014): a tiny, fast, seedable generator for sampling. Not thread-safe: one per thread.</summary>
internal struct SplitMix(ulong seed)
{
    private ulong _state = seed;

    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public ulong Next()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Mix(_state);
    }

    /// <summary>Uniform in [0, n) by multiply-shift (bias below 2^-32 n).</summary>
    public int Below(int n) => (int)(((Next() >> 32) * (ulong)(uint)n) >> 32);
}
