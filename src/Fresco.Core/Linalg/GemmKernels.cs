using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Fresco.Core.Linalg;

/// <summary>
/// The register-blocked micro-kernels of <see cref="Gemm"/>: each adds alpha times the product of a packed
/// A micro-panel (kc x MR, MR values per k) and a packed B micro-panel (kc x NR, NR values per k) to an
/// MR x NR tile of C. Thread-safe (static, stateless).
/// </summary>
internal static class GemmKernels
{
    public const int Mr512 = 12;
    public const int Nr512 = 32;
    public const int Mr256 = 6;
    public const int Nr256 = 16;
    public const int MrScalar = 4;
    public const int NrScalar = 8;

    /// <summary>C[12 x 32] += alpha * A-panel * B-panel with Vector512 FMA (24 accumulators).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Kernel512(int kc, float* a, float* b, float* c, nint ldc, float alpha)
    {
        Vector512<float> c00 = default, c01 = default;
        Vector512<float> c10 = default, c11 = default;
        Vector512<float> c20 = default, c21 = default;
        Vector512<float> c30 = default, c31 = default;
        Vector512<float> c40 = default, c41 = default;
        Vector512<float> c50 = default, c51 = default;
        Vector512<float> c60 = default, c61 = default;
        Vector512<float> c70 = default, c71 = default;
        Vector512<float> c80 = default, c81 = default;
        Vector512<float> c90 = default, c91 = default;
        Vector512<float> c100 = default, c101 = default;
        Vector512<float> c110 = default, c111 = default;
        for (var p = 0; p < kc; p++)
        {
            var b0 = Vector512.Load(b);
            var b1 = Vector512.Load(b + 16);
            var a0 = Vector512.Create(a[0]);
            c00 = Avx512F.FusedMultiplyAdd(a0, b0, c00);
            c01 = Avx512F.FusedMultiplyAdd(a0, b1, c01);
            var a1 = Vector512.Create(a[1]);
            c10 = Avx512F.FusedMultiplyAdd(a1, b0, c10);
            c11 = Avx512F.FusedMultiplyAdd(a1, b1, c11);
            var a2 = Vector512.Create(a[2]);
            c20 = Avx512F.FusedMultiplyAdd(a2, b0, c20);
            c21 = Avx512F.FusedMultiplyAdd(a2, b1, c21);
            var a3 = Vector512.Create(a[3]);
            c30 = Avx512F.FusedMultiplyAdd(a3, b0, c30);
            c31 = Avx512F.FusedMultiplyAdd(a3, b1, c31);
            var a4 = Vector512.Create(a[4]);
            c40 = Avx512F.FusedMultiplyAdd(a4, b0, c40);
            c41 = Avx512F.FusedMultiplyAdd(a4, b1, c41);
            var a5 = Vector512.Create(a[5]);
            c50 = Avx512F.FusedMultiplyAdd(a5, b0, c50);
            c51 = Avx512F.FusedMultiplyAdd(a5, b1, c51);
            var a6 = Vector512.Create(a[6]);
            c60 = Avx512F.FusedMultiplyAdd(a6, b0, c60);
            c61 = Avx512F.FusedMultiplyAdd(a6, b1, c61);
            var a7 = Vector512.Create(a[7]);
            c70 = Avx512F.FusedMultiplyAdd(a7, b0, c70);
            c71 = Avx512F.FusedMultiplyAdd(a7, b1, c71);
            var a8 = Vector512.Create(a[8]);
            c80 = Avx512F.FusedMultiplyAdd(a8, b0, c80);
            c81 = Avx512F.FusedMultiplyAdd(a8, b1, c81);
            var a9 = Vector512.Create(a[9]);
            c90 = Avx512F.FusedMultiplyAdd(a9, b0, c90);
            c91 = Avx512F.FusedMultiplyAdd(a9, b1, c91);
            var a10 = Vector512.Create(a[10]);
            c100 = Avx512F.FusedMultiplyAdd(a10, b0, c100);
            c101 = Avx512F.FusedMultiplyAdd(a10, b1, c101);
            var a11 = Vector512.Create(a[11]);
            c110 = Avx512F.FusedMultiplyAdd(a11, b0, c110);
            c111 = Avx512F.FusedMultiplyAdd(a11, b1, c111);
            a += 12;
            b += 32;
        }
        var alphaVector = Vector512.Create(alpha);
        Store512(c + 0 * ldc, alphaVector, c00, c01);
        Store512(c + 1 * ldc, alphaVector, c10, c11);
        Store512(c + 2 * ldc, alphaVector, c20, c21);
        Store512(c + 3 * ldc, alphaVector, c30, c31);
        Store512(c + 4 * ldc, alphaVector, c40, c41);
        Store512(c + 5 * ldc, alphaVector, c50, c51);
        Store512(c + 6 * ldc, alphaVector, c60, c61);
        Store512(c + 7 * ldc, alphaVector, c70, c71);
        Store512(c + 8 * ldc, alphaVector, c80, c81);
        Store512(c + 9 * ldc, alphaVector, c90, c91);
        Store512(c + 10 * ldc, alphaVector, c100, c101);
        Store512(c + 11 * ldc, alphaVector, c110, c111);
    }

    /// <summary>C[6 x 16] += alpha * A-panel * B-panel with Vector256 FMA (12 accumulators).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Kernel256(int kc, float* a, float* b, float* c, nint ldc, float alpha)
    {
        Vector256<float> c00 = default, c01 = default;
        Vector256<float> c10 = default, c11 = default;
        Vector256<float> c20 = default, c21 = default;
        Vector256<float> c30 = default, c31 = default;
        Vector256<float> c40 = default, c41 = default;
        Vector256<float> c50 = default, c51 = default;
        for (var p = 0; p < kc; p++)
        {
            var b0 = Vector256.Load(b);
            var b1 = Vector256.Load(b + 8);
            var a0 = Vector256.Create(a[0]);
            c00 = Vector256.FusedMultiplyAdd(a0, b0, c00);
            c01 = Vector256.FusedMultiplyAdd(a0, b1, c01);
            var a1 = Vector256.Create(a[1]);
            c10 = Vector256.FusedMultiplyAdd(a1, b0, c10);
            c11 = Vector256.FusedMultiplyAdd(a1, b1, c11);
            var a2 = Vector256.Create(a[2]);
            c20 = Vector256.FusedMultiplyAdd(a2, b0, c20);
            c21 = Vector256.FusedMultiplyAdd(a2, b1, c21);
            var a3 = Vector256.Create(a[3]);
            c30 = Vector256.FusedMultiplyAdd(a3, b0, c30);
            c31 = Vector256.FusedMultiplyAdd(a3, b1, c31);
            var a4 = Vector256.Create(a[4]);
            c40 = Vector256.FusedMultiplyAdd(a4, b0, c40);
            c41 = Vector256.FusedMultiplyAdd(a4, b1, c41);
            var a5 = Vector256.Create(a[5]);
            c50 = Vector256.FusedMultiplyAdd(a5, b0, c50);
            c51 = Vector256.FusedMultiplyAdd(a5, b1, c51);
            a += 6;
            b += 16;
        }
        var alphaVector = Vector256.Create(alpha);
        Store256(c + 0 * ldc, alphaVector, c00, c01);
        Store256(c + 1 * ldc, alphaVector, c10, c11);
        Store256(c + 2 * ldc, alphaVector, c20, c21);
        Store256(c + 3 * ldc, alphaVector, c30, c31);
        Store256(c + 4 * ldc, alphaVector, c40, c41);
        Store256(c + 5 * ldc, alphaVector, c50, c51);
    }

    /// <summary>C[MrScalar x NrScalar] += alpha * A-panel * B-panel, the portable reference.</summary>
    public static unsafe void KernelScalar(int kc, float* a, float* b, float* c, nint ldc, float alpha)
    {
        var tile = stackalloc float[MrScalar * NrScalar];
        new Span<float>(tile, MrScalar * NrScalar).Clear();
        for (var p = 0; p < kc; p++)
        {
            for (var r = 0; r < MrScalar; r++)
            {
                var ar = a[r];
                for (var j = 0; j < NrScalar; j++)
                {
                    tile[r * NrScalar + j] += ar * b[j];
                }
            }
            a += MrScalar;
            b += NrScalar;
        }
        for (var r = 0; r < MrScalar; r++)
        {
            for (var j = 0; j < NrScalar; j++)
            {
                c[r * ldc + j] += alpha * tile[r * NrScalar + j];
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Store512(float* c, Vector512<float> alpha, Vector512<float> x0, Vector512<float> x1)
    {
        Vector512.Store(Avx512F.FusedMultiplyAdd(alpha, x0, Vector512.Load(c)), c);
        Vector512.Store(Avx512F.FusedMultiplyAdd(alpha, x1, Vector512.Load(c + 16)), c + 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Store256(float* c, Vector256<float> alpha, Vector256<float> x0, Vector256<float> x1)
    {
        Vector256.Store(Vector256.FusedMultiplyAdd(alpha, x0, Vector256.Load(c)), c);
        Vector256.Store(Vector256.FusedMultiplyAdd(alpha, x1, Vector256.Load(c + 8)), c + 8);
    }
}
