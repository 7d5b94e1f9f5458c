namespace Fresco.Core.Nn;

/// <summary>
/// The buffers one <see cref="TransformerBlock"/> forward pass saves for its backward pass, plus backward
/// scratch, sized for a fixed batch x length. Allocated once and reused across steps. Not thread-safe: one
/// forward/backward pair at a time.
/// </summary>
public sealed class TransformerActivations
{
    /// <summary>Allocates buffers for <paramref name="batch"/> sequences of <paramref name="length"/> positions.</summary>
    public TransformerActivations(int batch, int length, int dimension, int heads, int hidden)
    {
        Batch = batch;
        Length = length;
        var rows = batch * length;
        var d = rows * dimension;
        Ln1 = new float[d];
        Ln1Mean = new float[rows];
        Ln1Rstd = new float[rows];
        Q = new float[d];
        K = new float[d];
        V = new float[d];
        Probabilities = new float[batch * heads * length * length];
        Attention = new float[d];
        Mask1 = new float[d];
        Residual = new float[d];
        Ln2 = new float[d];
        Ln2Mean = new float[rows];
        Ln2Rstd = new float[rows];
        Hidden = new float[rows * hidden];
        HiddenActivated = new float[rows * hidden];
        Mask2 = new float[d];
        GradA = new float[d];
        GradB = new float[d];
        GradQ = new float[d];
        GradK = new float[d];
        GradV = new float[d];
        GradHidden = new float[rows * hidden];
        Scores = new float[length * length * Environment.ProcessorCount];
    }

    /// <summary>Number of sequences.</summary>
    public int Batch { get; }

    /// <summary>Positions per sequence.</summary>
    public int Length { get; }

    internal float[] Ln1 { get; }
    internal float[] Ln1Mean { get; }
    internal float[] Ln1Rstd { get; }
    internal float[] Q { get; }
    internal float[] K { get; }
    internal float[] V { get; }
    internal float[] Probabilities { get; }
    internal float[] Attention { get; }
    internal float[] Mask1 { get; }
    internal float[] Residual { get; }
    internal float[] Ln2 { get; }
    internal float[] Ln2Mean { get; }
    internal float[] Ln2Rstd { get; }
    internal float[] Hidden { get; }
    internal float[] HiddenActivated { get; }
    internal float[] Mask2 { get; }
    internal float[] GradA { get; }
    internal float[] GradB { get; }
    internal float[] GradQ { get; }
    internal float[] GradK { get; }
    internal float[] GradV { get; }
    internal float[] GradHidden { get; }
    internal float[] Scores { get; }
}
