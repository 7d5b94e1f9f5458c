using Fresco.Core.Data;
using Fresco.Core.Models;
using Fresco.Core.Ranking;

namespace Fresco.Models.Tests;

/// <summary>
/// The benchmark protocols the quality bars are stated in: ml-100k with a random 80/20 interaction split and
/// amazon-beauty leave-last-out; full ranking with the training items masked, binary NDCG and hit rate.
/// </summary>
internal static class RealData
{
    public sealed record Split(CsrMatrix Train, int[][] Test);

    /// <summary>ml-100k u.data, every rating an implicit positive, a random 80/20 split of the interactions.</summary>
    public static Split MovieLens100k(string path, int seed)
    {
        var users = new Dictionary<string, int>();
        var items = new Dictionary<string, int>();
        var pairs = new List<(int User, int Item)>();
        foreach (var line in File.ReadLines(path))
        {
            var fields = line.Split('\t');
            pairs.Add((Index(users, fields[0]), Index(items, fields[1])));
        }
        var shuffled = pairs.ToArray();
        new Random(seed).Shuffle(shuffled);
        var cut = (int)(shuffled.Length * 0.8);
        var builder = new CsrBuilder(users.Count, items.Count, cut);
        var test = Enumerable.Range(0, users.Count).Select(_ => new List<int>()).ToArray();
        for (var t = 0; t < shuffled.Length; t++)
        {
            if (t < cut)
            {
                builder.Add(shuffled[t].User, shuffled[t].Item, 1f);
            }
            else
            {
                test[shuffled[t].User].Add(shuffled[t].Item);
            }
        }
        return new Split(builder.Build(DuplicatePolicy.Max), [.. test.Select(t => t.ToArray())]);
    }

    /// <summary>Beauty.txt ("user item item ..." in time order): train on all but each user's last item, test on it.</summary>
    public static Split LeaveLastOut(string path)
    {
        var lines = File.ReadAllLines(path);
        var items = new Dictionary<string, int>();
        var sequences = lines.Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(i => Index(items, i)).ToArray()).ToArray();
        var builder = new CsrBuilder(sequences.Length, items.Count, sequences.Sum(s => s.Length));
        for (var u = 0; u < sequences.Length; u++)
        {
            foreach (var item in sequences[u][..^1])
            {
                builder.Add(u, item, 1f);
            }
        }
        return new Split(builder.Build(DuplicatePolicy.Max), [.. sequences.Select(s => new[] { s[^1] })]);
    }

    /// <summary>Mean NDCG@k (ideal DCG over min(k, #test)) and hit rate@k over users with a test item.</summary>
    public static (double Ndcg, double HitRate) Evaluate(IRecommender model, Split split, int k)
    {
        double ndcg = 0, hits = 0;
        var users = 0;
        var gate = new object();
        Parallel.For(0, split.Test.Length, () => (Results: new ScoredItem[k], Ndcg: 0.0, Hits: 0.0, Users: 0), (u, _, state) =>
        {
            var test = split.Test[u];
            if (test.Length == 0)
            {
                return state;
            }
            var count = model.Recommend(UserHistory.FromMatrix(split.Train, u), state.Results);
            double dcg = 0, ideal = 0;
            for (var r = 0; r < count; r++)
            {
                dcg += Array.IndexOf(test, state.Results[r].ItemIndex) >= 0 ? 1 / Math.Log2(r + 2) : 0;
            }
            for (var r = 0; r < Math.Min(k, test.Length); r++)
            {
                ideal += 1 / Math.Log2(r + 2);
            }
            return (state.Results, state.Ndcg + (dcg / ideal), state.Hits + (dcg > 0 ? 1 : 0), state.Users + 1);
        }, state =>
        {
            lock (gate)
            {
                (ndcg, hits, users) = (ndcg + state.Ndcg, hits + state.Hits, users + state.Users);
            }
        });
        return (ndcg / users, hits / users);
    }

    private static int Index(Dictionary<string, int> map, string key)
    {
        if (!map.TryGetValue(key, out var index))
        {
            index = map[key] = map.Count;
        }
        return index;
    }
}
