using System.Collections.Concurrent;
using Fresco.Engine.Models;
using Fresco.Engine.Realtime;

namespace Fresco.Engine.Serving;

/// <summary>
/// Decides, per request, whether a user is scored from the serving model's own user row or by folding their live
/// history in: the row is used while the user's history is exactly what the model was trained on. That holds for
/// users not written since the version's training snapshot was taken in this process (<see cref="Trained"/>), and,
/// after a restart, for the users whose stored <see cref="HistoryFingerprint"/> matches their replayed history
/// (<see cref="Restore"/>) until they write again. Thread-safe: reads never lock.
/// </summary>
internal sealed class ModelRows
{
    /// <summary>Model version -> <see cref="LiveInteractions.Version"/> when its training snapshot was taken (this process only).</summary>
    private readonly ConcurrentDictionary<long, long> _trainedAsOf = new();

    /// <summary>The users of the model loaded at start-up whose histories are unchanged since its training; null before.</summary>
    private volatile RestoredRows? _restored;

    /// <summary>True when the serving model's own row for the user is still what it would fold in.</summary>
    public bool IsCurrent(long version, int userIndex, long snapshotVersion) =>
        (_trainedAsOf.TryGetValue(version, out var asOf) && snapshotVersion <= asOf)
        || (_restored is { } restored && restored.Version == version && snapshotVersion <= restored.AsOf
            && (uint)userIndex < (uint)restored.Users.Length && restored.Users[userIndex]);

    /// <summary>Records that <paramref name="version"/> was trained on the live state as of <paramref name="liveVersion"/>.</summary>
    public void Trained(long version, long liveVersion) => _trainedAsOf[version] = liveVersion;

    /// <summary>Marks the users of the serving model loaded at start-up whose histories are unchanged since its training.</summary>
    public void Restore(ServingModel? serving, LiveInteractions live)
    {
        if (serving is not { Ids.UserHistories: { } histories })
        {
            return;
        }
        var itemHashes = HistoryFingerprint.ItemHashes(live.ItemCount, live.GetItemId);
        var users = new bool[Math.Min(histories.Count, live.UserCount)];
        for (var u = 0; u < users.Length; u++)
        {
            var snapshot = live.GetSnapshot(u);
            users[u] = serving.Ids.UserIds[u].Length > 0
                && string.Equals(serving.Ids.UserIds[u], live.GetUserId(u), StringComparison.Ordinal)
                && HistoryFingerprint.Of(snapshot.Items, snapshot.Weights, itemHashes) == histories[u];
        }
        _restored = new RestoredRows(serving.Version, live.Version, users);
    }

    private sealed record RestoredRows(long Version, long AsOf, bool[] Users);
}
