using Fresco.Engine.Storage;

namespace Fresco.Engine.Cluster;

/// <summary>
/// The feedback rows this node applied from the bus and has not yet met in the change log, so that the log's copy of a
/// row is left out instead of applied a second time. A row is kept until the log returns it (once) or until two
/// complete passes over the log have ended after it was added (<see cref="EndPass"/>): a row the log has not returned
/// by then (the write conflicted and inserted nothing, or an old transaction held the log's horizon back) is forgotten,
/// and its log copy, if one comes, is applied again, which is harmless (the live state applies an insert once). Only
/// feedback is kept: a reload (history, item, user, model) is applied from both, in log order, so that a history
/// change always follows the rows it cuts. Not thread-safe: owned by the follower's apply loop.
/// </summary>
internal sealed class BusAppliedRows
{
    // Three generations: the rows added since the last pass ended, and those of the two passes before.
    private readonly HashSet<RowKey>[] _generations = [[], [], []];
    private int _current;

    /// <summary>Rows held now.</summary>
    public int Count => _generations.Sum(g => g.Count);

    /// <summary>Remembers the feedback rows of <paramref name="changes"/>, applied from the bus.</summary>
    public void Add(IReadOnlyList<Change> changes)
    {
        var generation = _generations[_current];
        foreach (var change in changes)
        {
            if (change is { Kind: ChangeKind.Feedback, Feedback: { } row })
            {
                generation.Add(RowKey.Of(row));
            }
        }
    }

    /// <summary>True, and forgets the row, when <paramref name="row"/> was applied from the bus.</summary>
    public bool TryTake(Feedback row)
    {
        var key = RowKey.Of(row);
        foreach (var generation in _generations)
        {
            if (generation.Remove(key))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>A complete pass over the log ended: the oldest generation is forgotten.</summary>
    public void EndPass()
    {
        _current = (_current + 1) % _generations.Length;
        _generations[_current].Clear();
    }

    /// <summary>
    /// A row's identity in both copies: the timestamp in whole microseconds, as PostgreSQL keeps it (the bus carries the
    /// writer's ticks).
    /// </summary>
    private readonly record struct RowKey(string FeedbackType, string UserId, string ItemId, double Value, long Microseconds)
    {
        public static RowKey Of(Feedback row) =>
            new(row.FeedbackType, row.UserId, row.ItemId, row.Value, row.Timestamp.UtcTicks / TimeSpan.TicksPerMicrosecond);
    }
}
