namespace Fresco.Engine.Training;

/// <summary>
/// Trains a candidate model from a snapshot of the live state, evaluates it against the serving model on the same
/// hold-out, and proposes it to <see cref="TrainingSnapshot.Registry"/> (which promotes or rejects it). The engine
/// calls it from <see cref="IFrescoEngine.TrainNowAsync"/> and its schedule, one run at a time. Implementations must
/// not mutate the snapshot; they may run for minutes and should honour the token.
/// </summary>
public interface IModelTrainer
{
    Task<TrainingReport> TrainAsync(TrainingSnapshot snapshot, CancellationToken cancellationToken);
}
