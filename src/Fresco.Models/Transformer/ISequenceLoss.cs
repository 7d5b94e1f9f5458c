using Fresco.Core.Nn;

namespace Fresco.Models.Transformer;

/// <summary>A next-item training loss on a forwarded <see cref="TransformerBatch"/>. Not thread-safe.</summary>
internal interface ISequenceLoss
{
    /// <summary>Floating-point operations of the last <see cref="Compute"/>.</summary>
    double LastFlops { get; }

    /// <summary>
    /// Returns the mean loss over the slots with a target, writes <see cref="TransformerBatch.OutputGrad"/> and
    /// accumulates the gradient of the tied item table.
    /// </summary>
    double Compute(TransformerBatch batch, NnParameter itemTable, int threads);
}
