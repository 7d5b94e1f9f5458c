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
    private string[] _categoryKeys = new string[16];
    private int[] _categoryCounts = new int[16];
    private int _categories;
    private float[] _memo = [];
    private int _memoLength = -1;
    private bool _memoOn;

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

    /// <summary>Grows the pick arrays to hold <paramref name="length"/> picks, keeping those already made.</summary>
    public void EnsurePicks(int length)
    {
        if (PickItems.Length < length)
        {
            var size = Math.Max(length, PickItems.Length * 2);
            PickItems = Resized(PickItems, size);
            PickScores = Resized(PickScores, size);
            PickSources = Resized(PickSources, size);
        }
    }

    /// <summary>Starts a new answer: no category counted yet (the diversity cap), no user scores remembered.</summary>
    public void BeginAnswer()
    {
        _categories = 0;
        _memoOn = false;
        _memoLength = -1;
    }

    /// <summary>From now on in this answer, the model's user scores are remembered (an answer that runs its stages twice).</summary>
    public void RememberUserScores() => _memoOn = true;

    /// <summary>Copies the user scores remembered in this answer into <paramref name="scores"/>; false when there are none.</summary>
    public bool TryRecallUserScores(Span<float> scores)
    {
        if (_memoLength != scores.Length)
        {
            return false;
        }
        _memo.AsSpan(0, scores.Length).CopyTo(scores);
        return true;
    }

    /// <summary>Keeps a copy of the model's user scores when this answer asked for it.</summary>
    public void KeepUserScores(ReadOnlySpan<float> scores)
    {
        if (_memoOn)
        {
            scores.CopyTo(Grow(ref _memo, scores.Length));
            _memoLength = scores.Length;
        }
    }

    /// <summary>
    /// When every one of <paramref name="categories"/> has fewer than <paramref name="max"/> picks in this answer, counts
    /// one more in each and returns true; otherwise changes nothing and returns false. O(categories x distinct categories).
    /// </summary>
    public bool TryCountCategories(ReadOnlySpan<string> categories, int max)
    {
        foreach (var category in categories)
        {
            var at = IndexOfCategory(category);
            if (at >= 0 && _categoryCounts[at] >= max)
            {
                return false;
            }
        }
        foreach (var category in categories)
        {
            var at = IndexOfCategory(category);
            if (at < 0)
            {
                if (_categories == _categoryKeys.Length)
                {
                    _categoryKeys = Resized(_categoryKeys, 2 * _categories);
                    _categoryCounts = Resized(_categoryCounts, 2 * _categories);
                }
                at = _categories++;
                _categoryKeys[at] = category;
                _categoryCounts[at] = 0;
            }
            _categoryCounts[at]++;
        }
        return true;
    }

    private int IndexOfCategory(string category)
    {
        for (var i = 0; i < _categories; i++)
        {
            if (string.Equals(_categoryKeys[i], category, StringComparison.Ordinal))
            {
                return i;
            }
        }
        return -1;
    }

    private static T[] Resized<T>(T[] array, int length)
    {
        Array.Resize(ref array, length);
        return array;
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
