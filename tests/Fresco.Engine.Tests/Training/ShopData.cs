using Fresco.Core.Data;
using Fresco.Core.Data.Synthetic;

namespace Fresco.Engine.Tests.Training;

/// <summary>A generated shop (<see cref="ShopGenerator"/>, as <c>fresco generate</c>) as a weighted users x items matrix.</summary>
internal static class ShopData
{
    /// <summary>Event weights: a purchase says more than a cart, a cart more than a view (summed per pair).</summary>
    private static float Weight(string type) => type switch { "purchase" => 4f, "cart" => 2f, _ => 1f };

    public static ClusteredData Create(ShopOptions options)
    {
        var shop = ShopGenerator.Generate(options);
        var users = new IdMap();
        var items = new IdMap();
        var pairs = new List<(int User, int Item, float Weight)>();
        foreach (var e in shop.Events)
        {
            pairs.Add((users.GetOrAdd(e.UserId), items.GetOrAdd(e.ItemId), Weight(e.EventType)));
        }
        var builder = new CsrBuilder(users.Count, items.Count);
        foreach (var (user, item, weight) in pairs)
        {
            builder.Add(user, item, weight);
        }
        return new ClusteredData(builder.Build(),
            [.. Enumerable.Range(0, users.Count).Select(users.GetId)],
            [.. Enumerable.Range(0, items.Count).Select(items.GetId)]);
    }
}
