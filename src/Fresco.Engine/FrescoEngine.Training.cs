using Fresco.Core.Data;
using Fresco.Engine.Models;
using Fresco.Engine.Training;
using Fresco.Models;

namespace Fresco.Engine;

/// <summary>Training: snapshots of the live state handed to the trainer, on demand and on schedule; rollbacks.</summary>
public sealed partial class FrescoEngine
{
    private static readonly TimeSpan s_scheduleTick = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Model version -> <see cref="Realtime.LiveInteractions.Version"/> when its training snapshot was taken (this
    /// process only): users not written since are scored from the model's own user rows instead of a fold-in.
    /// </summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, long> _trainedAsOf = new();

    /// <summary>
    /// After a restart, the serving model's users whose history is what the model was trained on (their
    /// <see cref="HistoryFingerprint"/> matches the stored one) and the live version after the replay: they are
    /// scored from the model's user rows, as before the restart, until they write again. Null before a restart's
    /// model has fingerprints.
    /// </summary>
    private RestoredRows? _restoredRows;

    /// <summary>True when the serving model's own row for the user is still what it would fold in.</summary>
    private bool ModelRowIsCurrent(long version, int userIndex, long snapshotVersion) =>
        (_trainedAsOf.TryGetValue(version, out var asOf) && snapshotVersion <= asOf)
        || (_restoredRows is { } restored && restored.Version == version && snapshotVersion <= restored.AsOf
            && (uint)userIndex < (uint)restored.Users.Length && restored.Users[userIndex]);

    /// <summary>Marks the users of the serving model loaded at start-up whose histories are unchanged since its training.</summary>
    private void RestoreModelRows()
    {
        if (_registry.Current is not { Ids.UserHistories: { } histories } serving)
        {
            return;
        }
        var itemHashes = HistoryFingerprint.ItemHashes(_live.ItemCount, _live.GetItemId);
        var users = new bool[Math.Min(histories.Count, _live.UserCount)];
        for (var u = 0; u < users.Length; u++)
        {
            var snapshot = _live.GetSnapshot(u);
            users[u] = string.Equals(serving.Ids.UserIds[u], _live.GetUserId(u), StringComparison.Ordinal)
                && HistoryFingerprint.Of(snapshot.Items, snapshot.Weights, itemHashes) == histories[u];
        }
        _restoredRows = new RestoredRows(serving.Version, _live.Version, users);
    }

    private sealed record RestoredRows(long Version, long AsOf, bool[] Users);

    public async Task<TrainingReport> TrainNowAsync(CancellationToken cancellationToken = default)
    {
        await _trainLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var asOf = _live.Version;
            var snapshot = Snapshot();
            var report = await _trainer.TrainAsync(snapshot, cancellationToken).ConfigureAwait(false);
            if (report.Outcome.Version > 0)
            {
                _trainedAsOf[report.Outcome.Version] = asOf;
            }
            CurrentView();
            EngineLog.Trained(_logger, report.Kind, report.Outcome.Promoted, report.Outcome.Version, report.Outcome.Reason, report.Duration);
            return report;
        }
        finally
        {
            _trainLock.Release();
        }
    }

    public async Task<RegistryOutcome> RollbackAsync(CancellationToken cancellationToken = default)
    {
        var outcome = await _registry.RollbackAsync(cancellationToken).ConfigureAwait(false);
        CurrentView();
        return outcome;
    }

    /// <summary>The live state as a training snapshot; resets the events-since-training count.</summary>
    private TrainingSnapshot Snapshot()
    {
        Interlocked.Exchange(ref _eventsSinceTraining, 0);
        var matrix = _live.ToMatrix();
        var users = new string[matrix.Rows];
        for (var u = 0; u < users.Length; u++)
        {
            users[u] = _live.GetUserId(u);
        }
        var items = new string[matrix.Columns];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = _live.GetItemId(i);
        }
        var sequences = ModelCatalog.Get(_options.Training.Model).UsesEventOrder ? Sequences(users, items) : null;
        return new TrainingSnapshot(matrix, ModelIdSpace.Of(matrix, users, items), Interlocked.Read(ref _events),
            _registry.Current, _registry, _options.Training, sequences);
    }

    /// <summary>
    /// Each user's items oldest to newest by their last event (the order of a user's snapshot), one row per positive
    /// pair within the matrix's users and items: the order a sequential model learns from.
    /// </summary>
    private InteractionTable Sequences(string[] users, string[] items)
    {
        var table = new InteractionTable(IdMap.FromIds(users), IdMap.FromIds(items), IdMap.FromIds(["live"]));
        for (var u = 0; u < users.Length; u++)
        {
            var snapshot = _live.GetSnapshot(u);
            var row = snapshot.Items;
            var weights = snapshot.Weights;
            for (var i = 0; i < row.Length; i++)
            {
                if (row[i] < items.Length && weights[i] > 0)
                {
                    table.Add(new Interaction(u, row[i], 0, weights[i], 0));
                }
            }
        }
        return table;
    }

    private async Task RunScheduleAsync(CancellationToken cancellationToken)
    {
        var training = _options.Training;
        if (training.Interval <= TimeSpan.Zero && training.AfterEvents <= 0)
        {
            return;
        }
        var last = _time.GetUtcNow();
        var firstTried = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(s_scheduleTick, _time, cancellationToken).ConfigureAwait(false);
            var now = _time.GetUtcNow();
            // The first model is trained as soon as there is enough data (once: a failure waits for the schedule).
            var first = !firstTried && _registry.Current is null;
            var due = first
                || (now - last >= training.MinInterval
                    && ((training.Interval > TimeSpan.Zero && now - last >= training.Interval)
                        || (training.AfterEvents > 0 && EventsSinceTraining >= training.AfterEvents)));
            if (!due || Interlocked.Read(ref _events) < training.MinEvents)
            {
                continue;
            }
            last = now;
            firstTried |= first;
            try
            {
                await TrainNowAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                EngineLog.TrainingFailed(_logger, e);
            }
        }
    }
}
