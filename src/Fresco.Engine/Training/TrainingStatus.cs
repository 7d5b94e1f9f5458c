namespace Fresco.Engine.Training;

/// <summary>
/// The training loop at one moment: whether a run is in progress, the feedback events written since the last run
/// started (the <see cref="TrainingOptions.AfterEvents"/> trigger), and the last run's report in this process (null
/// before the first). Immutable.
/// </summary>
public sealed record TrainingStatus(bool Running, long EventsSinceTraining, TrainingReport? Last);
