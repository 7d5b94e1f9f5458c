using Fresco.Core.Ranking;

namespace Fresco.Engine.Serving;

/// <summary>
/// Per-thread buffers of one recommendation call, grown on demand and kept: a warmed call allocates nothing here.
/// Not thread-safe: one instance per thread (<see cref="ForThread"/>), used by one call at a time.
/// </summary>
internal sealed class RecommendScratch
{
    [ThreadStatic]
    private static RecommendScratch? s_current;

    private float[] _scores = [];
    private float[] _sums = [];
    private ulong[] _blocked = [];
    private ScoredItem[] _top = [];
    private int[] _items = [];
    private float[] _weights = [];
    private int[] _seeds = [];

    public int[] PickItems { get; private set; } = [];

    public float[] PickScores { get; private set; } = [];

    public string[] PickSources { get; private set; } = [];

    public int[] Users { get; set; } = new int[64];

    public static RecommendScratch ForThread() => s_current ??= new RecommendScratch();

    public Span<float> Scores(int length) => Grow(ref _scores, length).AsSpan(0, length);

    /// <summary>A zeroed span.</summary>
    public Span<float> Sums(int length)
    {
        var span = Grow(ref _sums, length).AsSpan(0, length);
        span.Clear();
        return span;
    }

    /// <summary>A cleared bit set over <paramref name="items"/> items.</summary>
    public Span<ulong> Blocked(int items)
    {
        var span = Grow(ref _blocked, (items + 63) >> 6).AsSpan(0, (items + 63) >> 6);
        span.Clear();
        return span;
    }

    public Span<ScoredItem> Top(int length) => Grow(ref _top, length).AsSpan(0, length);

    public Span<int> Items(int length) => Grow(ref _items, length).AsSpan(0, length);

    public Span<float> Weights(int length) => Grow(ref _weights, length).AsSpan(0, length);

    public Span<int> Seeds(int length) => Grow(ref _seeds, length).AsSpan(0, length);

    public void EnsurePicks(int length)
    {
        if (PickItems.Length < length)
        {
            PickItems = new int[length];
            PickScores = new float[length];
            PickSources = new string[length];
        }
    }

    private static T[] Grow<T>(ref T[] array, int length)
    {
        if (array.Length < length)
        {
            array = new T[Math.Max(length, array.Length * 2)];
        }
        return array;
    }
}
