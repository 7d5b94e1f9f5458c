using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Fresco.Core.Linalg;

/// <summary>
/// One stochastic-gradient step of Bayesian personalized ranking (Rendle et al. 2009) on a (user, positive,
/// negative) triple: with <c>x = u . (p - n) + bp - bn</c> and <c>z = 1 / (1 + e^x)</c>, ascend
/// <c>ln sigmoid(x)</c> with L2 penalty. Vector512 over whole 16-float chunks, scalar tail. Thread-safe
/// (static); the caller guarantees no other thread writes the same rows.
/// </summary>
public static class PairwiseSgd
{
    /// <summary>Updates the three vectors and biases in place; returns sigmoid(x) before the step (the pair's ranking probability).</summary>
    public static float Step(
        Span<float> user,
        Span<float> positive,
        Span<float> negative,
        ref float positiveBias,
        ref float negativeBias,
        float learningRate,
        float regularization)
    {
        var dim = user.Length;
        if (positive.Length != dim || negative.Length != dim)
        {
            throw new ArgumentException("The three vectors must have the same length.");
        }
        ref var u = ref MemoryMarshal.GetReference(user);
        ref var p = ref MemoryMarshal.GetReference(positive);
        ref var n = ref MemoryMarshal.GetReference(negative);
        var k = 0;
        var x = positiveBias - negativeBias;
        if (Vector512.IsHardwareAccelerated)
        {
            var acc = Vector512<float>.Zero;
            for (; k + 16 <= dim; k += 16)
            {
                var diff = Vector512.LoadUnsafe(ref p, (nuint)k) - Vector512.LoadUnsafe(ref n, (nuint)k);
                acc = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref u, (nuint)k), diff, acc);
            }
            x += Vector512.Sum(acc);
        }
        for (; k < dim; k++)
        {
            x += Unsafe.Add(ref u, k) * (Unsafe.Add(ref p, k) - Unsafe.Add(ref n, k));
        }
        var z = 1f / (1f + MathF.Exp(x));
        var step = learningRate * z;
        var decay = 1f - learningRate * regularization;
        k = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var vStep = Vector512.Create(step);
            var vDecay = Vector512.Create(decay);
            for (; k + 16 <= dim; k += 16)
            {
                var uk = Vector512.LoadUnsafe(ref u, (nuint)k);
                var pk = Vector512.LoadUnsafe(ref p, (nuint)k);
                var nk = Vector512.LoadUnsafe(ref n, (nuint)k);
                Vector512.FusedMultiplyAdd(vStep, pk - nk, uk * vDecay).StoreUnsafe(ref u, (nuint)k);
                Vector512.FusedMultiplyAdd(vStep, uk, pk * vDecay).StoreUnsafe(ref p, (nuint)k);
                Vector512.FusedMultiplyAdd(-vStep, uk, nk * vDecay).StoreUnsafe(ref n, (nuint)k);
            }
        }
        for (; k < dim; k++)
        {
            var uk = Unsafe.Add(ref u, k);
            var pk = Unsafe.Add(ref p, k);
            var nk = Unsafe.Add(ref n, k);
            Unsafe.Add(ref u, k) = uk * decay + step * (pk - nk);
            Unsafe.Add(ref p, k) = pk * decay + step * uk;
            Unsafe.Add(ref n, k) = nk * decay - step * uk;
        }
        positiveBias = positiveBias * decay + step;
        negativeBias = negativeBias * decay - step;
        return 1f - z;
    }
}
