namespace Fresco.Evaluation.Tuning;

/// <summary>Proposes the next point of a hyper-parameter search from the points seen so far. Not thread-safe (samplers keep a random state).</summary>
public interface ISampler
{
    /// <summary>A value per dimension within its <see cref="Core.Models.SearchRange"/> (a choice's index for a categorical one).</summary>
    double[] Suggest(IReadOnlyList<Observation> history);
}
