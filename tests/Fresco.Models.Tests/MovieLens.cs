using Fresco.Core.Data;
using Fresco.Core.Models;
using Fresco.Core.Ranking;

namespace Fresco.Models.Tests;

/// <summary>ml-100k as implicit positives, a seeded random 80/20 split of interactions, and NDCG@10 over all items.</summary>
internal static class MovieLens
{
    public static (CsrMatrix Train, List<int>[] Test) Split(string path, int seed)
    {
        var pairs = File.ReadLines(path)
            .Select(line => line.Split('\t'))
            .Select(p => (User: int.Parse(p[0]) - 1, Item: int.Parse(p[1]) - 1))
            .ToArray();
        var users = pairs.Max(p => p.User) + 1;
        var items = pairs.Max(p => p.Item) + 1;
        new Random(seed).Shuffle(pairs);
        var cut = pairs.Length * 8 / 10;
        var builder = new CsrBuilder(users, items);
        foreach (var (user, item) in pairs[..cut])
        {
            builder.Add(user, item, 1f);
        }
        var test = Enumerable.Range(0, users).Select(_ => new List<int>()).ToArray();
        foreach (var (user, item) in pairs[cut..])
        {
            test[user].Add(item);
        }
        return (builder.Build(), test);
    }

    /// <summary>Binary-relevance NDCG@10 (ideal DCG over min(10, test items)), mean over users with a test item; training items excluded.</summary>
    public static double Ndcg10(IRecommender model, CsrMatrix train, List<int>[] test)
    {
        var results = new ScoredItem[10];
        var sum = 0.0;
        var users = 0;
        for (var u = 0; u < test.Length; u++)
        {
            if (test[u].Count == 0)
            {
                continue;
            }
            var count = model.Recommend(UserHistory.FromMatrix(train, u), results);
            var relevant = test[u].ToHashSet();
            double dcg = 0, ideal = 0;
            for (var r = 0; r < count; r++)
            {
                dcg += relevant.Contains(results[r].ItemIndex) ? 1 / Math.Log2(r + 2) : 0;
            }
            for (var r = 0; r < Math.Min(10, relevant.Count); r++)
            {
                ideal += 1 / Math.Log2(r + 2);
            }
            sum += dcg / ideal;
            users++;
        }
        return sum / users;
    }
}
