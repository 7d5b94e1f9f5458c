using Fresco.Core.Data;

namespace Fresco.Engine.Tests.Training;

/// <summary>
/// Users whose items are drawn from one Zipf-like distribution over the catalog (item j with weight 1/(j+1)), with no
/// tastes: the most popular unseen items are the best guess for a held-out item, so popularity is the model to beat.
/// </summary>
internal static class PopularData
{
    public static ClusteredData Create(int users = 400, int items = 200, int perUser = 8, int seed = 11)
    {
        var random = new Random(seed);
        var cumulative = new double[items];
        var total = 0.0;
        for (var j = 0; j < items; j++)
        {
            total += 1.0 / (j + 1);
            cumulative[j] = total;
        }
        var builder = new CsrBuilder(users, items);
        for (var u = 0; u < users; u++)
        {
            var chosen = new HashSet<int>();
            while (chosen.Count < perUser)
            {
                var index = Array.BinarySearch(cumulative, random.NextDouble() * total);
                chosen.Add(index < 0 ? ~index : index);
            }
            foreach (var item in chosen)
            {
                builder.Add(u, item, 1f);
            }
        }
        return new ClusteredData(builder.Build(),
            [.. Enumerable.Range(0, users).Select(u => $"u{u}")],
            [.. Enumerable.Range(0, items).Select(i => $"i{i}")]);
    }
}
