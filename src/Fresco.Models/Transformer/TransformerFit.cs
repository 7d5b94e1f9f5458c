using System.Globalization;

namespace Fresco.Models.Transformer;

/// <summary>What one training run did: epochs, the kept epoch and its validation score, speed. Mutable while training, then read-only.</summary>
public sealed class TransformerFit
{
    /// <summary>Epochs run (early stopping may end before the maximum).</summary>
    public int Epochs { get; set; }

    /// <summary>The epoch whose weights the model keeps.</summary>
    public int BestEpoch { get; set; }

    /// <summary>NDCG@10 on the held-out last training event at <see cref="BestEpoch"/>.</summary>
    public double ValidationNdcg { get; set; }

    /// <summary>Mean wall-clock seconds of one training epoch (validation excluded).</summary>
    public double EpochSeconds { get; set; }

    /// <summary>Mean process CPU seconds of one training epoch: divided by the threads, the epoch time on unshared cores.</summary>
    public double EpochCpuSeconds { get; set; }

    /// <summary>Floating-point throughput of the last epoch's training steps.</summary>
    public double Gflops { get; set; }

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"epochs {Epochs}, best {BestEpoch} (validation NDCG@10 {ValidationNdcg:F4}), {EpochSeconds:F2} s/epoch wall, {EpochCpuSeconds:F2} CPU s/epoch, {Gflops:F0} GFLOP/s");
}
