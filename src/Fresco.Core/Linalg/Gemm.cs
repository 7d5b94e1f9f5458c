using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Fresco.Core.Linalg;

/// <summary>
/// Single-precision dense matrix multiply, <c>C = alpha * op(A) * op(B) + beta * C</c>, on row-major
/// contiguous spans with leading dimensions (the distance between rows). Cache-blocked in the classic
/// Goto/BLIS way (k in blocks of 256, B and A packed into micro-panels), a register-blocked micro-kernel
/// (12 x 32 with Vector512 FMA, 6 x 16 with Vector256, a scalar one otherwise) and parallel over
/// blocks of C. Small single-threaded products reuse a per-thread plan and do not allocate. Thread-safe (static);
/// concurrent calls must not write the same C.
/// </summary>
public static class Gemm
{
    /// <summary>Products whose packed operands fit in this many floats (1 MiB) run on a per-thread cached plan.</summary>
    internal const long CachedPlanFloats = 1 << 18;

    [ThreadStatic]
    private static GemmPlan? s_plan;

    /// <summary>
    /// <c>C = alpha * op(A) * op(B) + beta * C</c> where op(A) is m x k and op(B) is k x n. With
    /// <paramref name="transposeA"/>, A is stored k x m (and op(A) = A^T); with <paramref name="transposeB"/>, B is
    /// stored n x k. When beta is 0, C need not be initialized; C must not overlap A or B. <paramref name="threads"/>
    /// 0 means all cores.
    /// </summary>
    public static void Multiply(
        bool transposeA, bool transposeB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        float beta, Span<float> c, int ldc, int threads = 0) =>
        Run(GemmKernel.Auto, transposeA, transposeB, lowerOnly: false, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, threads);

    /// <summary>
    /// The lower triangle of a symmetric rank-k update, <c>C = alpha * op(A) * op(A)^T + beta * C</c>, where
    /// op(A) is n x k (A stored k x n when <paramref name="transpose"/>). Tiles entirely above the diagonal are
    /// skipped, so this costs about half a <see cref="Multiply"/>; entries above the diagonal are unspecified
    /// afterwards (tiles that straddle it are computed whole).
    /// </summary>
    public static void SymmetricRankUpdate(
        bool transpose, int n, int k, float alpha, ReadOnlySpan<float> a, int lda,
        float beta, Span<float> c, int ldc, int threads = 0) =>
        Run(GemmKernel.Auto, transpose, !transpose, lowerOnly: true, n, n, k, alpha, a, lda, a, lda, beta, c, ldc, threads);

    /// <summary>The micro-kernel <see cref="GemmKernel.Auto"/> selects on this machine.</summary>
    internal static GemmKernel DefaultKernel { get; } =
        Avx512F.IsSupported && Vector512.IsHardwareAccelerated ? GemmKernel.Vector512
        : Fma.IsSupported && Vector256.IsHardwareAccelerated ? GemmKernel.Vector256
        : GemmKernel.Scalar;

    internal static unsafe void Run(
        GemmKernel kernel, bool transposeA, bool transposeB, bool lowerOnly, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        float beta, Span<float> c, int ldc, int threads)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        if (m == 0 || n == 0)
        {
            return;
        }
        CheckOperand(c, m, n, ldc, nameof(c));
        if (k > 0)
        {
            CheckOperand(a, transposeA ? k : m, transposeA ? m : k, lda, nameof(a));
            CheckOperand(b, transposeB ? n : k, transposeB ? k : n, ldb, nameof(b));
        }
        if (kernel == GemmKernel.Auto)
        {
            kernel = DefaultKernel;
        }
        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
        {
            ScaleC(pc, m, n, ldc, beta, lowerOnly);
            if (k == 0 || alpha == 0f)
            {
                return;
            }
            var effective = threads > 0 ? threads : Environment.ProcessorCount;
            if ((double)m * n * k < 64 * 64 * 64)
            {
                effective = 1;
            }
            if (effective == 1 && (long)(m + n) * Math.Min(k, 256) <= CachedPlanFloats)
            {
                // Small single-threaded products (serving, attention heads) reuse this thread's plan: no allocation.
                var cached = s_plan ??= new GemmPlan();
                cached.Configure(kernel, transposeA, transposeB, lowerOnly, m, n, k, alpha, (nint)pa, lda, (nint)pb, ldb, (nint)pc, ldc, 1);
                cached.Execute();
                return;
            }
            using var plan = new GemmPlan();
            plan.Configure(kernel, transposeA, transposeB, lowerOnly, m, n, k, alpha, (nint)pa, lda, (nint)pb, ldb, (nint)pc, ldc, effective);
            plan.Execute();
        }
    }

    private static void CheckOperand(ReadOnlySpan<float> span, int rows, int columns, int leading, string name)
    {
        if (leading < columns)
        {
            throw new ArgumentException($"Leading dimension {leading} is smaller than the {columns} columns of {name}.", name);
        }
        if ((long)(rows - 1) * leading + columns > span.Length)
        {
            throw new ArgumentException($"{name} holds {span.Length} values, fewer than a {rows} x {columns} matrix with leading dimension {leading} needs.", name);
        }
    }

    private static unsafe void ScaleC(float* c, int m, int n, int ldc, float beta, bool lowerOnly)
    {
        if (beta == 1f)
        {
            return;
        }
        for (var i = 0; i < m; i++)
        {
            var row = new Span<float>(c + (long)i * ldc, lowerOnly ? Math.Min(n, i + 1) : n);
            if (beta == 0f)
            {
                row.Clear();
            }
            else
            {
                System.Numerics.Tensors.TensorPrimitives.Multiply(row, beta, row);
            }
        }
    }
}
