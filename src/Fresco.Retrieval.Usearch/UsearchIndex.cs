namespace Fresco.Retrieval.Usearch;

/// <summary>
/// One USearch HNSW index over <c>float</c> vectors keyed by row index. Built once (rows inserted in parallel),
/// then only searched. USearch gives each concurrent call one of a fixed number of thread contexts and must never
/// be asked for more, so searches pass a semaphore of that size (uncontended: no allocation, no wait).
/// Thread-safe for concurrent searches.
/// </summary>
internal sealed unsafe class UsearchIndex : IDisposable
{
    private readonly UsearchHandle _handle;
    private readonly SemaphoreSlim _contexts;

    private UsearchIndex(UsearchHandle handle, int dimensions, int count, int contexts)
    {
        _handle = handle;
        _contexts = new SemaphoreSlim(contexts, contexts);
        Dimensions = dimensions;
        Count = count;
        nint error = 0;
        MemoryBytes = (long)UsearchNative.MemoryUsage(handle, &error);
        UsearchNative.Check(error, "memory_usage");
        handle.AddPressure(MemoryBytes);
    }

    public int Dimensions { get; }

    public int Count { get; }

    /// <summary>Native bytes held by the index (vectors and graph), as USearch reports them.</summary>
    public long MemoryBytes { get; }

    /// <summary>
    /// Builds an index of <paramref name="count"/> rows; <paramref name="fillRow"/> writes row i's vector (length
    /// <paramref name="dimensions"/>) and may be called from several threads at once.
    /// </summary>
    public static UsearchIndex Build(uint metric, int dimensions, int count, UsearchOptions options, RowWriter fillRow)
    {
        options.Validate();
        var threads = options.BuildThreads > 0 ? options.BuildThreads : Environment.ProcessorCount;
        var contexts = Math.Max(threads, Math.Max(8, 2 * Environment.ProcessorCount));
        var handle = UsearchHandle.Create(metric, dimensions, options.Connectivity, options.ExpansionAdd, options.ExpansionSearch);
        try
        {
            nint error = 0;
            UsearchNative.Reserve(handle, (nuint)Math.Max(count, 1), &error);
            UsearchNative.Check(error, "reserve");
            UsearchNative.ChangeThreadsAdd(handle, (nuint)contexts, &error);
            UsearchNative.Check(error, "change_threads_add");
            UsearchNative.ChangeThreadsSearch(handle, (nuint)contexts, &error);
            UsearchNative.Check(error, "change_threads_search");
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, worker =>
            {
                var vector = new float[dimensions];
                fixed (float* pointer = vector)
                {
                    for (var row = worker; row < count; row += threads)
                    {
                        fillRow(row, vector);
                        nint addError = 0;
                        UsearchNative.Add(handle, (ulong)row, pointer, UsearchNative.ScalarFloat32, &addError);
                        UsearchNative.Check(addError, "add");
                    }
                }
            });
            return new UsearchIndex(handle, dimensions, count, contexts);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>The nearest rows to <paramref name="query"/>, nearest first, into the two spans (equal length); returns how many.</summary>
    public int Search(ReadOnlySpan<float> query, Span<ulong> keys, Span<float> distances)
    {
        if (query.Length != Dimensions || keys.Length != distances.Length)
        {
            throw new ArgumentException("The query must have the index's dimensions and the result spans one length.");
        }
        if (keys.IsEmpty || Count == 0)
        {
            return 0;
        }
        _contexts.Wait();
        try
        {
            nint error = 0;
            nuint found;
            fixed (float* queryPointer = query)
            fixed (ulong* keyPointer = keys)
            fixed (float* distancePointer = distances)
            {
                found = UsearchNative.Search(_handle, queryPointer, UsearchNative.ScalarFloat32, (nuint)keys.Length, keyPointer,
                    distancePointer, &error);
            }
            UsearchNative.Check(error, "search");
            return (int)found;
        }
        finally
        {
            _contexts.Release();
        }
    }

    /// <summary>Changes the search expansion (HNSW ef). Not safe while searches run: for benchmarks and tuning.</summary>
    internal void ChangeExpansionSearch(int expansion)
    {
        nint error = 0;
        UsearchNative.ChangeExpansionSearch(_handle, (nuint)expansion, &error);
        UsearchNative.Check(error, "change_expansion_search");
    }

    public void Dispose()
    {
        _handle.Dispose();
    }

    /// <summary>Writes the vector of <paramref name="row"/>.</summary>
    public delegate void RowWriter(int row, Span<float> destination);
}
