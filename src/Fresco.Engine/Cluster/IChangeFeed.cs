namespace Fresco.Engine.Cluster;

/// <summary>
/// A place in a store's change log: changes are ordered by (<see cref="Transaction"/>, <see cref="Sequence"/>), and a
/// position is after every change it has seen. Immutable.
/// </summary>
public readonly record struct ChangePosition(long Transaction, long Sequence);

/// <summary>Changes read from the log after a position, the position after them, and whether more may follow at once. Immutable.</summary>
public sealed record ChangePage(IReadOnlyList<Change> Changes, ChangePosition Next, bool More);

/// <summary>
/// A store's durable log of committed changes (written in the same transaction as the change itself), from which a
/// replica catches up on what other nodes wrote: the source of truth behind the <see cref="IClusterBus"/>, which only
/// carries the same changes faster. Thread-safe.
/// </summary>
public interface IChangeFeed
{
    /// <summary>
    /// A position before every change not yet visible to a reader that starts now: read it BEFORE loading the state from
    /// the store, then read the log from it; changes seen twice are harmless (the live state applies inserts once).
    /// </summary>
    Task<ChangePosition> HeadAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// About <paramref name="max"/> changes after <paramref name="after"/> in log order, leaving out those written by
    /// <paramref name="excludeOrigin"/>; never skips a change that commits later with an earlier position. A store may log
    /// one write's changes together and end a page only after them, so a page may hold more than <paramref name="max"/>.
    /// </summary>
    Task<ChangePage> ReadAsync(ChangePosition after, int max, string excludeOrigin, CancellationToken cancellationToken = default);

    /// <summary>True when the log no longer holds changes right after <paramref name="position"/> (trimmed by age): the reader missed some.</summary>
    Task<bool> IsTrimmedPastAsync(ChangePosition position, CancellationToken cancellationToken = default);
}
