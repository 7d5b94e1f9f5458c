namespace Fresco.Core.Data.Synthetic;

/// <summary>A generated shop: catalog and events (each user's events in time order). Immutable.</summary>
public sealed record Shop(IReadOnlyList<ShopItem> Items, IReadOnlyList<ShopEvent> Events)
{
    /// <summary>The events as an interaction table (event type names as given; timestamps in unix seconds).</summary>
    public InteractionTable ToTable()
    {
        var table = new InteractionTable(capacity: Events.Count);
        foreach (var e in Events)
        {
            table.Add(e.UserId, e.ItemId, e.EventType, 1f, e.Timestamp.ToUnixTimeSeconds());
        }
        return table;
    }
}
