using System.Runtime.InteropServices;

namespace Fresco.Core.Linalg;

/// <summary>
/// One <see cref="Gemm"/> call: owns the packed panels (native, 64-byte aligned) and runs the blocked loops.
/// For each block of k it packs op(A) into MR-row micro-panels and op(B) into NR-column micro-panels (both in
/// parallel), then computes blocks of C (MC rows x NC columns) in parallel; within a block each B micro-panel
/// stays in L1 while the A block (MC x KC) streams from L2. Reusable: <see cref="Configure"/> sets up the next
/// product and keeps the packing buffers. Not thread-safe: one product at a time.
/// </summary>
internal sealed unsafe class GemmPlan : IDisposable
{
    private const int Kc = 256;

    private GemmKernel _kernel;
    private bool _transposeA;
    private bool _transposeB;
    private bool _lowerOnly;
    private int _m;
    private int _n;
    private int _k;
    private float _alpha;
    private float* _a;
    private float* _b;
    private float* _c;
    private int _lda;
    private int _ldb;
    private int _ldc;
    private int _threads;
    private int _mr;
    private int _nr;
    private int _mc;
    private int _nc;
    private int _rowPanels;
    private int _columnPanels;
    private float* _packA;
    private float* _packB;

    private long _packACapacity;
    private long _packBCapacity;

    /// <summary>Sets up one product; the packing buffers grow as needed and are kept for the next product.</summary>
    public void Configure(GemmKernel kernel, bool transposeA, bool transposeB, bool lowerOnly, int m, int n, int k, float alpha,
        nint a, int lda, nint b, int ldb, nint c, int ldc, int threads)
    {
        _kernel = kernel;
        _transposeA = transposeA;
        _transposeB = transposeB;
        _lowerOnly = lowerOnly;
        (_m, _n, _k, _alpha) = (m, n, k, alpha);
        _a = (float*)a;
        _b = (float*)b;
        _c = (float*)c;
        (_lda, _ldb, _ldc) = (lda, ldb, ldc);
        _threads = threads;
        (_mr, _nr) = kernel switch
        {
            GemmKernel.Vector512 => (GemmKernels.Mr512, GemmKernels.Nr512),
            GemmKernel.Vector256 => (GemmKernels.Mr256, GemmKernels.Nr256),
            _ => (GemmKernels.MrScalar, GemmKernels.NrScalar),
        };
        _mc = _mr * 12;
        _nc = _nr * 16;
        _rowPanels = (m + _mr - 1) / _mr;
        _columnPanels = (n + _nr - 1) / _nr;
        var depth = Math.Min(k, Kc);
        Reserve(ref _packA, ref _packACapacity, (long)_rowPanels * _mr * depth);
        Reserve(ref _packB, ref _packBCapacity, (long)_columnPanels * _nr * depth);
    }

    /// <summary>Floats the packing buffers hold (what a cached plan keeps between products).</summary>
    public long CapacityFloats => _packACapacity + _packBCapacity;

    public void Execute()
    {
        if (_threads <= 1)
        {
            ExecuteSerial();
            return;
        }
        ExecuteParallel();
    }

    /// <summary>Kept apart from <see cref="Execute"/>: its lambdas' closure would otherwise be allocated on every call.</summary>
    private void ExecuteParallel()
    {
        var rowBlocks = (_m + _mc - 1) / _mc;
        var columnBlocks = (_n + _nc - 1) / _nc;
        for (var p0 = 0; p0 < _k; p0 += Kc)
        {
            var depth = Math.Min(Kc, _k - p0);
            For(_rowPanels + _columnPanels, panel =>
            {
                if (panel < _rowPanels)
                {
                    PackA(panel, p0, depth);
                }
                else
                {
                    PackB(panel - _rowPanels, p0, depth);
                }
            });
            For(rowBlocks * columnBlocks, block => ComputeBlock(block / columnBlocks, block % columnBlocks, depth));
        }
    }

    ~GemmPlan() => Free();

    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    private void Free()
    {
        NativeMemory.AlignedFree(_packA);
        NativeMemory.AlignedFree(_packB);
        _packA = null;
        _packB = null;
        _packACapacity = 0;
        _packBCapacity = 0;
    }

    private static void Reserve(ref float* buffer, ref long capacity, long floats)
    {
        if (floats <= capacity)
        {
            return;
        }
        NativeMemory.AlignedFree(buffer);
        buffer = (float*)NativeMemory.AlignedAlloc((nuint)(floats * sizeof(float)), 64);
        capacity = floats;
    }

    private void ExecuteSerial()
    {
        var rowBlocks = (_m + _mc - 1) / _mc;
        var columnBlocks = (_n + _nc - 1) / _nc;
        for (var p0 = 0; p0 < _k; p0 += Kc)
        {
            var depth = Math.Min(Kc, _k - p0);
            for (var panel = 0; panel < _rowPanels; panel++)
            {
                PackA(panel, p0, depth);
            }
            for (var panel = 0; panel < _columnPanels; panel++)
            {
                PackB(panel, p0, depth);
            }
            for (var block = 0; block < rowBlocks * columnBlocks; block++)
            {
                ComputeBlock(block / columnBlocks, block % columnBlocks, depth);
            }
        }
    }

    private void For(int count, Action<int> body)
    {
        if (_threads <= 1 || count == 1)
        {
            for (var i = 0; i < count; i++)
            {
                body(i);
            }
            return;
        }
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = _threads }, body);
    }

    private void PackA(int panel, int p0, int depth)
    {
        var mr = _mr;
        var dst = _packA + (long)panel * mr * depth;
        var i0 = panel * mr;
        var rows = Math.Min(mr, _m - i0);
        if (rows < mr)
        {
            new Span<float>(dst, mr * depth).Clear();
        }
        if (!_transposeA)
        {
            for (var r = 0; r < rows; r++)
            {
                var src = _a + (long)(i0 + r) * _lda + p0;
                for (var p = 0; p < depth; p++)
                {
                    dst[p * mr + r] = src[p];
                }
            }
        }
        else
        {
            for (var p = 0; p < depth; p++)
            {
                new ReadOnlySpan<float>(_a + (long)(p0 + p) * _lda + i0, rows).CopyTo(new Span<float>(dst + p * mr, rows));
            }
        }
    }

    private void PackB(int panel, int p0, int depth)
    {
        var nr = _nr;
        var dst = _packB + (long)panel * nr * depth;
        var j0 = panel * nr;
        var columns = Math.Min(nr, _n - j0);
        if (columns < nr)
        {
            new Span<float>(dst, nr * depth).Clear();
        }
        if (!_transposeB)
        {
            for (var p = 0; p < depth; p++)
            {
                new ReadOnlySpan<float>(_b + (long)(p0 + p) * _ldb + j0, columns).CopyTo(new Span<float>(dst + p * nr, columns));
            }
        }
        else
        {
            for (var j = 0; j < columns; j++)
            {
                var src = _b + (long)(j0 + j) * _ldb + p0;
                for (var p = 0; p < depth; p++)
                {
                    dst[p * nr + j] = src[p];
                }
            }
        }
    }

    private void ComputeBlock(int rowBlock, int columnBlock, int depth)
    {
        var (mr, nr) = (_mr, _nr);
        var i0 = rowBlock * _mc;
        var i1 = Math.Min(_m, i0 + _mc);
        var j0 = columnBlock * _nc;
        var j1 = Math.Min(_n, j0 + _nc);
        var tile = stackalloc float[GemmKernels.Mr512 * GemmKernels.Nr512];
        for (var j = j0; j < j1 && !(_lowerOnly && j >= i1); j += nr)
        {
            var bPanel = _packB + (long)(j / nr) * nr * depth;
            var columns = Math.Min(nr, _n - j);
            for (var i = i0; i < i1; i += mr)
            {
                if (_lowerOnly && j >= i + mr)
                {
                    continue;
                }
                var aPanel = _packA + (long)(i / mr) * mr * depth;
                var rows = Math.Min(mr, _m - i);
                if (rows == mr && columns == nr)
                {
                    RunKernel(depth, aPanel, bPanel, _c + (long)i * _ldc + j, _ldc);
                    continue;
                }
                new Span<float>(tile, mr * nr).Clear();
                RunKernel(depth, aPanel, bPanel, tile, nr);
                for (var r = 0; r < rows; r++)
                {
                    var target = new Span<float>(_c + (long)(i + r) * _ldc + j, columns);
                    System.Numerics.Tensors.TensorPrimitives.Add(target, new ReadOnlySpan<float>(tile + r * nr, columns), target);
                }
            }
        }
    }

    private void RunKernel(int depth, float* a, float* b, float* c, nint ldc)
    {
        switch (_kernel)
        {
            case GemmKernel.Vector512:
                GemmKernels.Kernel512(depth, a, b, c, ldc, _alpha);
                break;
            case GemmKernel.Vector256:
                GemmKernels.Kernel256(depth, a, b, c, ldc, _alpha);
                break;
            default:
                GemmKernels.KernelScalar(depth, a, b, c, ldc, _alpha);
                break;
        }
    }
}
