namespace Fresco.Models.Transformer;

/// <summary>
/// Window buckets and training batches: sequences are shuffled, sorted by length within groups of many batches
/// (so a batch holds sequences of similar length and pads little), cut into batches, and the batches shuffled.
/// Each bucket owns one <see cref="TransformerBatch"/>. Not thread-safe.
/// </summary>
internal sealed class BatchPlanner
{
    private const int GroupBatches = 50;

    private readonly TransformerNetwork _network;
    private readonly int _batchSize;
    private readonly int[] _buckets;
    private readonly TransformerBatch?[] _workspaces;

    public BatchPlanner(TransformerNetwork network, int batchSize)
    {
        _network = network;
        _batchSize = batchSize;
        var buckets = new List<int>();
        for (var length = 8; length < network.MaxLength; length *= 2)
        {
            buckets.Add(length);
        }
        buckets.Add(network.MaxLength);
        _buckets = [.. buckets];
        _workspaces = new TransformerBatch?[_buckets.Length];
    }

    public int BatchSize => _batchSize;

    public int MaxLength => _network.MaxLength;

    /// <summary>The workspace whose window holds <paramref name="length"/> events.</summary>
    public TransformerBatch Workspace(int length)
    {
        var b = 0;
        while (_buckets[b] < length)
        {
            b++;
        }
        return _workspaces[b] ??= new TransformerBatch(_network, _batchSize, _buckets[b]);
    }

    /// <summary>
    /// Batches of indices into <paramref name="lengths"/>: shuffled when <paramref name="random"/> is given, else in
    /// ascending length order.
    /// </summary>
    public List<int[]> Plan(ReadOnlySpan<int> lengths, Random? random)
    {
        var order = new int[lengths.Length];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }
        var keys = lengths.ToArray();
        var batches = new List<int[]>();
        if (random is null)
        {
            Array.Sort(keys, order);
            Cut(order, batches);
            return batches;
        }
        random.Shuffle(order);
        var group = GroupBatches * _batchSize;
        for (var start = 0; start < order.Length; start += group)
        {
            var slice = order.AsSpan(start, Math.Min(group, order.Length - start)).ToArray();
            var sliceKeys = slice.Select(i => keys[i]).ToArray();
            Array.Sort(sliceKeys, slice);
            Cut(slice, batches);
        }
        var shuffled = batches.ToArray();
        random.Shuffle(shuffled);
        return [.. shuffled];
    }

    private void Cut(int[] order, List<int[]> batches)
    {
        for (var start = 0; start < order.Length; start += _batchSize)
        {
            batches.Add(order[start..Math.Min(order.Length, start + _batchSize)]);
        }
    }
}
