using Fresco.Engine.Storage;

namespace Fresco.Engine.Experiments;

/// <summary>
/// What each user exposed to an experiment did: one row per (user, variant) with the impressions the user was shown
/// under the experiment and the clicks, carts, purchases and revenue attributed to them. The impressions record
/// implements it; the engine's results (<see cref="ExperimentAnalysis"/>) read it. Implementations are thread-safe.
/// </summary>
public interface IExperimentOutcomes
{
    Task<IReadOnlyList<ExperimentUserOutcome>> GetOutcomesAsync(string experiment, CancellationToken cancellationToken = default);
}
