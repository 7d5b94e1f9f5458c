namespace Fresco.Core.Data;

/// <summary>
/// A set of interactions with the id maps that name them: users, items and event types. Rows keep their
/// insertion order (within a user, the order of the source, which is time order for sequence files).
/// Not thread-safe for writes.
/// </summary>
public sealed class InteractionTable
{
    private Interaction[] _rows;

    public InteractionTable(IdMap? users = null, IdMap? items = null, IdMap? eventTypes = null, int capacity = 0)
    {
        Users = users ?? new IdMap();
        Items = items ?? new IdMap();
        EventTypes = eventTypes ?? new IdMap();
        _rows = new Interaction[Math.Max(capacity, 16)];
    }

    public IdMap Users { get; }

    public IdMap Items { get; }

    public IdMap EventTypes { get; }

    public int Count { get; private set; }

    /// <summary>True when at least one row carries a real timestamp.</summary>
    public bool HasTimestamps { get; private set; }

    public ReadOnlySpan<Interaction> Rows => _rows.AsSpan(0, Count);

    public Interaction this[int index] => Rows[index];

    public void Add(in Interaction interaction)
    {
        if (Count == _rows.Length)
        {
            Array.Resize(ref _rows, _rows.Length * 2);
        }
        _rows[Count++] = interaction;
        HasTimestamps |= interaction.Timestamp != 0;
    }

    /// <summary>Adds an interaction named by outside ids, creating users, items and event types as needed.</summary>
    public void Add(string userId, string itemId, string eventType, float value = 1f, long timestamp = 0) =>
        Add(new Interaction(Users.GetOrAdd(userId), Items.GetOrAdd(itemId), EventTypes.GetOrAdd(eventType), value, timestamp));

    /// <summary>A new table over the same id maps holding the rows that <paramref name="keep"/> accepts.</summary>
    public InteractionTable Where(Func<Interaction, bool> keep)
    {
        var result = new InteractionTable(Users, Items, EventTypes, Count);
        foreach (ref readonly var row in Rows)
        {
            if (keep(row))
            {
                result.Add(row);
            }
        }
        return result;
    }
}
