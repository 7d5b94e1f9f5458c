using Fresco.Engine.Storage;

namespace Fresco.Engine.Experiments;

/// <summary>
/// The engine's default <see cref="IExperimentOutcomes"/>: the store's impressions record
/// (<see cref="IImpressionStore.GetExperimentOutcomesAsync"/>), where every answer sent under an experiment is stored with
/// its experiment and variant and every click, cart and purchase credited to an answer is kept. An impression still
/// queued for the background writer, or shed under overload, is not counted. Thread-safe (the store is).
/// </summary>
internal sealed class ImpressionOutcomes(IImpressionStore store) : IExperimentOutcomes
{
    public Task<IReadOnlyList<ExperimentUserOutcome>> GetOutcomesAsync(string experiment, CancellationToken cancellationToken = default) =>
        store.GetExperimentOutcomesAsync(experiment, cancellationToken);
}
