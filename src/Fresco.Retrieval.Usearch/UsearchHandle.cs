using Microsoft.Win32.SafeHandles;

namespace Fresco.Retrieval.Usearch;

/// <summary>
/// Owns one native USearch index. As a <see cref="System.Runtime.InteropServices.SafeHandle"/> it is reference
/// counted around every native call, so the index is freed only after the last search that uses it returns, even
/// when it is disposed (or collected) while a request still runs. Reports the native size to the GC as memory
/// pressure. Thread-safe.
/// </summary>
internal sealed unsafe class UsearchHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    private long _pressure;

    public UsearchHandle()
        : base(ownsHandle: true)
    {
    }

    public static UsearchHandle Create(uint metric, int dimensions, int connectivity, int expansionAdd, int expansionSearch)
    {
        var options = new UsearchNative.InitOptions
        {
            MetricKind = metric,
            Quantization = UsearchNative.ScalarFloat32,
            Dimensions = (nuint)dimensions,
            Connectivity = (nuint)connectivity,
            ExpansionAdd = (nuint)expansionAdd,
            ExpansionSearch = (nuint)expansionSearch,
        };
        nint error = 0;
        var index = UsearchNative.Init(&options, &error);
        UsearchNative.Check(error, "init");
        var handle = new UsearchHandle();
        handle.SetHandle(index);
        return handle;
    }

    /// <summary>Tells the GC how much native memory the index holds (call once, after building).</summary>
    public void AddPressure(long bytes)
    {
        if (bytes > 0 && Interlocked.CompareExchange(ref _pressure, bytes, 0) == 0)
        {
            GC.AddMemoryPressure(bytes);
        }
    }

    protected override bool ReleaseHandle()
    {
        nint error = 0;
        UsearchNative.Free(handle, &error);
        var pressure = Interlocked.Exchange(ref _pressure, 0);
        if (pressure > 0)
        {
            GC.RemoveMemoryPressure(pressure);
        }
        return error == 0;
    }
}
