using System.Numerics.Tensors;

namespace Fresco.Core.Nn;

/// <summary>
/// Embedding lookup: gathers rows of a row-major table (entries x dimension) by id, and scatter-adds the
/// output gradient back into the table gradient. Thread-safe (static); concurrent backward calls must not
/// share the table gradient.
/// </summary>
public static class Embedding
{
    /// <summary>Writes row <c>ids[i]</c> of <paramref name="table"/> to row i of <paramref name="output"/>.</summary>
    public static void Forward(ReadOnlySpan<float> table, int dimension, ReadOnlySpan<int> ids, Span<float> output)
    {
        for (var i = 0; i < ids.Length; i++)
        {
            table.Slice(ids[i] * dimension, dimension).CopyTo(output.Slice(i * dimension, dimension));
        }
    }

    /// <summary>Accumulates row i of <paramref name="outputGrad"/> into row <c>ids[i]</c> of <paramref name="tableGrad"/>.</summary>
    public static void Backward(ReadOnlySpan<float> outputGrad, int dimension, ReadOnlySpan<int> ids, Span<float> tableGrad)
    {
        for (var i = 0; i < ids.Length; i++)
        {
            var row = tableGrad.Slice(ids[i] * dimension, dimension);
            TensorPrimitives.Add(row, outputGrad.Slice(i * dimension, dimension), row);
        }
    }
}
