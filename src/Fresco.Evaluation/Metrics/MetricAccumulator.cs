namespace Fresco.Evaluation.Metrics;

/// <summary>
/// Sums top-K ranking metrics over users and averages them: HR, Recall, Precision, NDCG (binary relevance,
/// log2(rank+1) discount, ideal DCG over min(K, relevant)), MAP (AP over min(K, relevant)), MRR and catalog
/// Coverage, at every cut-off. A user counts when added with at least one relevant item. Not thread-safe.
/// </summary>
public sealed class MetricAccumulator
{
    private static readonly string[] s_names = ["HR", "Recall", "Precision", "NDCG", "MAP", "MRR"];

    private readonly int[] _ks;
    private readonly double[] _sums;
    private readonly double[] _idealDcg;
    private readonly int[] _bestRank;
    private readonly int _itemCount;

    /// <param name="ks">The cut-offs (positive; duplicates ignored).</param>
    /// <param name="itemCount">The catalog size, for coverage.</param>
    public MetricAccumulator(IEnumerable<int> ks, int itemCount)
    {
        _ks = [.. ks.Distinct().Order()];
        if (_ks.Length == 0 || _ks[0] <= 0)
        {
            throw new ArgumentException("Cut-offs must be positive and at least one.", nameof(ks));
        }
        MaxK = _ks[^1];
        _sums = new double[_ks.Length * s_names.Length];
        _idealDcg = new double[MaxK + 1];
        for (var i = 1; i <= MaxK; i++)
        {
            _idealDcg[i] = _idealDcg[i - 1] + Discount(i);
        }
        _itemCount = itemCount;
        _bestRank = new int[itemCount];
        _bestRank.AsSpan().Fill(int.MaxValue);
    }

    /// <summary>The largest cut-off: how many items each user's list needs.</summary>
    public int MaxK { get; }

    /// <summary>Users added with at least one relevant item.</summary>
    public int Users { get; private set; }

    /// <summary>
    /// Adds one user's ranked list (best first; only the first <see cref="MaxK"/> are read) against the user's
    /// relevant items, which must be ascending and distinct. A user with no relevant item is ignored.
    /// </summary>
    public void Add(ReadOnlySpan<int> ranked, ReadOnlySpan<int> relevant)
    {
        if (relevant.IsEmpty)
        {
            return;
        }
        Users++;
        int hits = 0, firstHit = 0, k = 0;
        double dcg = 0, precisionSum = 0;
        var listed = Math.Min(ranked.Length, MaxK);
        for (var rank = 1; rank <= MaxK; rank++)
        {
            if (rank <= listed)
            {
                var item = ranked[rank - 1];
                if ((uint)item < (uint)_itemCount && rank < _bestRank[item])
                {
                    _bestRank[item] = rank;
                }
                if (relevant.BinarySearch(item) >= 0)
                {
                    hits++;
                    dcg += Discount(rank);
                    precisionSum += (double)hits / rank;
                    if (firstHit == 0)
                    {
                        firstHit = rank;
                    }
                }
            }
            for (; k < _ks.Length && _ks[k] == rank; k++)
            {
                var sums = _sums.AsSpan(k * s_names.Length, s_names.Length);
                var ideal = Math.Min(rank, relevant.Length);
                sums[0] += hits > 0 ? 1 : 0;
                sums[1] += (double)hits / relevant.Length;
                sums[2] += (double)hits / rank;
                sums[3] += dcg / _idealDcg[ideal];
                sums[4] += precisionSum / ideal;
                sums[5] += firstHit > 0 ? 1.0 / firstHit : 0;
            }
        }
    }

    /// <summary>Every metric averaged over the users added, by name ("NDCG@10", "Coverage@20", ...); 0 with no user.</summary>
    public Dictionary<string, double> Result()
    {
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        var firstRankCounts = new int[MaxK + 2];
        foreach (var rank in _bestRank)
        {
            firstRankCounts[Math.Min(rank, MaxK + 1)]++;
        }
        var covered = 0;
        var nextK = 0;
        for (var rank = 1; rank <= MaxK; rank++)
        {
            covered += firstRankCounts[rank];
            for (; nextK < _ks.Length && _ks[nextK] == rank; nextK++)
            {
                for (var m = 0; m < s_names.Length; m++)
                {
                    result[$"{s_names[m]}@{rank}"] = Users > 0 ? _sums[nextK * s_names.Length + m] / Users : 0;
                }
                result[$"Coverage@{rank}"] = _itemCount > 0 ? (double)covered / _itemCount : 0;
            }
        }
        return result;
    }

    private static double Discount(int rank) => 1.0 / Math.Log2(rank + 1);
}
