namespace Fresco.Models.Transformer;

/// <summary>
/// The incremental encoder state of one sequence: the items of the encoded window, each block's cached keys and
/// values for those positions, the final hidden state of the latest event, and the scratch the encoder needs.
/// Created by <see cref="TransformerEncoder.CreateState"/>. Not thread-safe: one sequence, one caller.
/// </summary>
public sealed class TransformerState
{
    internal TransformerState(int blocks, int maxLength, int dimension, int feedForward, int queryBytes)
    {
        MaxLength = maxLength;
        Window = new int[maxLength];
        Keys = new float[blocks * maxLength * dimension];
        Values = new float[blocks * maxLength * dimension];
        Hidden = new float[dimension];
        X = new float[maxLength * dimension];
        A = new float[maxLength * dimension];
        Q = new float[maxLength * dimension];
        Attention = new float[maxLength * dimension];
        Branch = new float[maxLength * dimension];
        FeedForward = new float[maxLength * feedForward];
        Mean = new float[maxLength];
        Rstd = new float[maxLength];
        Weights = new float[maxLength];
        Scores = new float[maxLength * maxLength];
        KeyValue = new float[maxLength * 2 * dimension];
        Query = new byte[maxLength * Math.Max(64, queryBytes)];
        Scales = new float[maxLength];
        Scratch = new float[2 * maxLength * Math.Max(dimension, feedForward)];
    }

    /// <summary>Events encoded (at most <see cref="MaxLength"/>: older ones slide out of the window).</summary>
    public int Count { get; internal set; }

    public int MaxLength { get; }

    /// <summary>The final hidden state after the latest event (the user vector the items are scored against).</summary>
    public ReadOnlySpan<float> Output => Hidden;

    internal int[] Window { get; }
    internal float[] Keys { get; }
    internal float[] Values { get; }
    internal float[] Hidden { get; }
    internal float[] X { get; }
    internal float[] A { get; }
    internal float[] Q { get; }
    internal float[] Attention { get; }
    internal float[] Branch { get; }
    internal float[] FeedForward { get; }
    internal float[] Mean { get; }
    internal float[] Rstd { get; }
    internal float[] Weights { get; }
    internal float[] Scores { get; }
    internal float[] KeyValue { get; }
    internal byte[] Query { get; }
    internal float[] Scales { get; }
    internal float[] Scratch { get; }

    /// <summary>Forgets every event.</summary>
    public void Clear() => Count = 0;
}
