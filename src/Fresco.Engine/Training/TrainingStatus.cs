namespace Fresco.Engine.Training;

/// <summary>
/// The training loop at one moment: when the run in progress started (null when none runs), the feedback events
/// written since the last run started (the <see cref="TrainingOptions.AfterEvents"/> trigger), and the last runs of
/// this process, newest first (at most <see cref="TrainingLoop.RecentRuns"/>). Immutable.
/// </summary>
public sealed record TrainingStatus(DateTimeOffset? RunningSince, long EventsSinceTraining, IReadOnlyList<TrainingRun> Recent)
{
    /// <summary>True while a run is in progress.</summary>
    public bool Running => RunningSince is not null;

    /// <summary>The last run's report in this process, or null before the first.</summary>
    public TrainingReport? Last => Recent.Count > 0 ? Recent[0].Report : null;
}
