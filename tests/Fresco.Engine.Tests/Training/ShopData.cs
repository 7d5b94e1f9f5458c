using Fresco.Core.Data;
using Fresco.Core.Data.Synthetic;

namespace Fresco.Engine.Tests.Training;

/// <summary>A generated shop (<see cref="ShopGenerator"/>, as <c>fresco generate</c>) as a weighted users x items matrix.</summary>
internal static class ShopData
{
    /// <summary>Event weights: a purchase says more than a cart, a cart more than a view (summed per pair).</summary>
    private static float Weight(string type) => type switch { "purchase" => 4f, "cart" => 2f, _ => 1f };

    public static ClusteredData Create(ShopOptions options) => CreateWithSequences(options).Data;

    /// <summary>
    /// The matrix and, as the engine's training loop hands them to models that learn from order, each user's items
    /// oldest to newest by their last event (one row per pair, over the matrix's indices).
    /// </summary>
    public static (ClusteredData Data, InteractionTable Sequences) CreateWithSequences(ShopOptions options)
    {
        var shop = ShopGenerator.Generate(options);
        var users = new IdMap();
        var items = new IdMap();
        var pairs = new List<(int User, int Item, float Weight)>();
        var last = new Dictionary<(int User, int Item), DateTimeOffset>();
        foreach (var e in shop.Events)
        {
            var pair = (users.GetOrAdd(e.UserId), items.GetOrAdd(e.ItemId));
            pairs.Add((pair.Item1, pair.Item2, Weight(e.EventType)));
            last[pair] = last.TryGetValue(pair, out var seen) && seen > e.Timestamp ? seen : e.Timestamp;
        }
        var builder = new CsrBuilder(users.Count, items.Count);
        foreach (var (user, item, weight) in pairs)
        {
            builder.Add(user, item, weight);
        }
        var sequences = new InteractionTable(users, items, IdMap.FromIds(["live"]));
        foreach (var ((user, item), at) in last.OrderBy(p => p.Key.User).ThenBy(p => p.Value))
        {
            sequences.Add(new Interaction(user, item, 0, 1f, 0));
        }
        var data = new ClusteredData(builder.Build(),
            [.. Enumerable.Range(0, users.Count).Select(users.GetId)],
            [.. Enumerable.Range(0, items.Count).Select(items.GetId)]);
        return (data, sequences);
    }
}
