using System.Runtime.InteropServices;

namespace Fresco.Retrieval.Usearch;

/// <summary>
/// The few functions of USearch's C library (<c>libusearch_c</c>, shipped for linux-x64, win-x64 and osx-arm64 by
/// the Cloud.Unum.USearch package) that <see cref="UsearchIndex"/> needs, called directly so that a search fills
/// caller spans without allocating (the package's managed wrapper allocates result arrays per query). Every
/// function reports failure through <c>error</c>: a static C string, never freed. Thread-safety is USearch's:
/// concurrent adds and searches each need one of the index's thread contexts.
/// </summary>
internal static unsafe partial class UsearchNative
{
    public const uint MetricInnerProduct = 2;
    public const uint MetricCosine = 1;
    public const uint ScalarFloat32 = 1;

    private const string Library = "libusearch_c";

    /// <summary>Mirrors <c>usearch_init_options_t</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct InitOptions
    {
        public uint MetricKind;
        public nint Metric;
        public uint Quantization;
        public nuint Dimensions;
        public nuint Connectivity;
        public nuint ExpansionAdd;
        public nuint ExpansionSearch;
        public byte Multi;
    }

    [LibraryImport(Library, EntryPoint = "usearch_init")]
    public static partial nint Init(InitOptions* options, nint* error);

    [LibraryImport(Library, EntryPoint = "usearch_free")]
    public static partial void Free(nint index, nint* error);

    [LibraryImport(Library, EntryPoint = "usearch_reserve")]
    public static partial void Reserve(UsearchHandle index, nuint capacity, nint* error);

    [LibraryImport(Library, EntryPoint = "usearch_change_threads_add")]
    public static partial void ChangeThreadsAdd(UsearchHandle index, nuint threads, nint* error);

    [LibraryImport(Library, EntryPoint = "usearch_change_threads_search")]
    public static partial void ChangeThreadsSearch(UsearchHandle index, nuint threads, nint* error);

    [LibraryImport(Library, EntryPoint = "usearch_change_expansion_search")]
    public static partial void ChangeExpansionSearch(UsearchHandle index, nuint expansion, nint* error);

    [LibraryImport(Library, EntryPoint = "usearch_add")]
    public static partial void Add(UsearchHandle index, ulong key, float* vector, uint scalarKind, nint* error);

    [LibraryImport(Library, EntryPoint = "usearch_search")]
    public static partial nuint Search(UsearchHandle index, float* query, uint scalarKind, nuint count, ulong* keys,
        float* distances, nint* error);

    [LibraryImport(Library, EntryPoint = "usearch_size")]
    public static partial nuint Size(UsearchHandle index, nint* error);

    [LibraryImport(Library, EntryPoint = "usearch_memory_usage")]
    public static partial nuint MemoryUsage(UsearchHandle index, nint* error);

    /// <summary>Throws <see cref="InvalidOperationException"/> with USearch's message when <paramref name="error"/> is set.</summary>
    public static void Check(nint error, string operation)
    {
        if (error != 0)
        {
            throw new InvalidOperationException($"USearch {operation} failed: {Marshal.PtrToStringUTF8(error)}");
        }
    }
}
