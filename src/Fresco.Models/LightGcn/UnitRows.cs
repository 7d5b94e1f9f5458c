using System.Numerics.Tensors;

namespace Fresco.Models.LightGcn;

/// <summary>
/// A batch of embedding rows normalised to unit length (optionally with dropout applied after the normalisation),
/// their norms, and the gradient over the rows the loss saw, taken back through the dropout and the normalisation.
/// Owns its buffers: not thread-safe.
/// </summary>
internal sealed class UnitRows(int count, int dim)
{
    private readonly float[] _norms = new float[count];
    private float[]? _plain;
    private float[]? _mask;

    /// <summary>The rows the loss sees (unit, then dropped out when <see cref="Drop"/> was called).</summary>
    public float[] Unit { get; } = new float[count * dim];

    /// <summary>The gradient over <see cref="Unit"/>; after <see cref="Backward"/>, over the rows before normalisation.</summary>
    public float[] Grad { get; } = new float[count * dim];

    public Span<float> Row(int row) => Unit.AsSpan(row * dim, dim);

    public Span<float> GradRow(int row) => Grad.AsSpan(row * dim, dim);

    /// <summary>Copies the rows <paramref name="indices"/> of <paramref name="embeddings"/> and normalises them.</summary>
    public void Gather(float[] embeddings, ReadOnlySpan<int> indices)
    {
        for (var r = 0; r < indices.Length; r++)
        {
            embeddings.AsSpan(indices[r] * dim, dim).CopyTo(Row(r));
        }
        Normalize();
    }

    /// <summary>Normalises the rows written into <see cref="Unit"/>, keeping their norms.</summary>
    public void Normalize()
    {
        _mask = null;
        for (var r = 0; r < _norms.Length; r++)
        {
            var unit = Row(r);
            _norms[r] = MathF.Max(TensorPrimitives.Norm(unit), 1e-12f);
            TensorPrimitives.Multiply(unit, 1f / _norms[r], unit);
        }
    }

    /// <summary>Multiplies the unit rows by <paramref name="mask"/> (0 or 1 / (1 - rate) per coordinate), keeping them for the backward pass.</summary>
    public void Drop(float[] mask)
    {
        _plain ??= new float[Unit.Length];
        Unit.CopyTo(_plain, 0);
        TensorPrimitives.Multiply(Unit, mask, Unit);
        _mask = mask;
    }

    /// <summary>
    /// Takes <see cref="Grad"/> back through the dropout and the normalisation, <c>dx = (g - x^ (x^ . g)) / |x|</c>,
    /// in place.
    /// </summary>
    public void Backward()
    {
        var plain = Unit;
        if (_mask is not null)
        {
            TensorPrimitives.Multiply(Grad, _mask, Grad);
            plain = _plain!;
        }
        for (var r = 0; r < _norms.Length; r++)
        {
            var unit = plain.AsSpan(r * dim, dim);
            var grad = GradRow(r);
            TensorPrimitives.MultiplyAdd(unit, -TensorPrimitives.Dot(unit, grad), grad, grad);
            TensorPrimitives.Multiply(grad, 1f / _norms[r], grad);
        }
    }

    /// <summary>Adds each row of <see cref="Grad"/> to the row <paramref name="indices"/>[r] of <paramref name="embeddingGrad"/>.</summary>
    public void ScatterAdd(ReadOnlySpan<int> indices, float[] embeddingGrad)
    {
        for (var r = 0; r < indices.Length; r++)
        {
            var target = embeddingGrad.AsSpan(indices[r] * dim, dim);
            TensorPrimitives.Add(target, GradRow(r), target);
        }
    }
}
