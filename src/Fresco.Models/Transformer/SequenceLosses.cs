namespace Fresco.Models.Transformer;

/// <summary>Shared steps of the losses: gather the slots that have a target, scatter their gradient back. Thread-safe (static).</summary>
internal static class SequenceLosses
{
    /// <summary>Copies the output rows of the slots with a target into <paramref name="hidden"/>; returns their number.</summary>
    public static int Gather(TransformerBatch batch, int dimension, ref float[] hidden, ref int[] targets, ref int[] slots)
    {
        var all = batch.Targets;
        if (slots.Length < all.Length)
        {
            slots = new int[all.Length];
            targets = new int[all.Length];
            hidden = new float[all.Length * dimension];
        }
        var n = 0;
        for (var slot = 0; slot < all.Length; slot++)
        {
            if (all[slot] < 0)
            {
                continue;
            }
            slots[n] = slot;
            targets[n] = all[slot];
            batch.Output.AsSpan(slot * dimension, dimension).CopyTo(hidden.AsSpan(n * dimension, dimension));
            n++;
        }
        return n;
    }

    /// <summary>Writes the compact gradient rows back to their slots of the output gradient (zero elsewhere).</summary>
    public static void Scatter(TransformerBatch batch, int dimension, ReadOnlySpan<float> hiddenGrad, ReadOnlySpan<int> slots)
    {
        Array.Clear(batch.OutputGrad);
        for (var i = 0; i < slots.Length; i++)
        {
            hiddenGrad.Slice(i * dimension, dimension).CopyTo(batch.OutputGrad.AsSpan(slots[i] * dimension, dimension));
        }
    }
}
