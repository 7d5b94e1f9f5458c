using System.Numerics.Tensors;
using Fresco.Core.Nn;

namespace Fresco.Models.LightGcn;

/// <summary>The L2 penalty of one embedding row. Thread-safe (static) for distinct rows.</summary>
internal static class Penalty
{
    /// <summary>Adds <paramref name="lambda"/> x row <paramref name="row"/> of the values to the same row of the gradient.</summary>
    public static void AddRow(NnParameter parameter, int row, int dim, float lambda)
    {
        var grad = parameter.Grad.AsSpan(row * dim, dim);
        TensorPrimitives.MultiplyAdd(parameter.Value.AsSpan(row * dim, dim), lambda, grad, grad);
    }
}
