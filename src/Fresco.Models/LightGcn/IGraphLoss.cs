using Fresco.Core.Nn;
using Fresco.Models.Bpr;

namespace Fresco.Models.LightGcn;

/// <summary>
/// A training loss of <see cref="LightGcnTrainer"/> over the final (propagated) embeddings: it draws a batch, adds the
/// gradient of the batch's mean loss with respect to the final embeddings, and the L2 penalty on the batch's layer-0
/// rows. Owns its batch buffers: not thread-safe, one training run uses it.
/// </summary>
internal interface IGraphLoss
{
    /// <summary>Observed pairs per batch.</summary>
    int BatchSize { get; }

    /// <summary>Draws the next batch.</summary>
    void Sample(ref SplitMix random);

    /// <summary>The batch's mean loss; adds its gradient to <paramref name="userGrad"/> and <paramref name="itemGrad"/> (row-major, like the embeddings).</summary>
    double Gradient(float[] userFinal, float[] itemFinal, float[] userGrad, float[] itemGrad);

    /// <summary>Adds <paramref name="lambda"/> x the layer-0 row of every user and item of the batch to their gradients.</summary>
    void AddPenalty(NnParameter users, NnParameter items, float lambda);
}
