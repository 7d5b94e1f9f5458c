using System.Numerics.Tensors;

namespace Fresco.Models.LightGcn;

/// <summary>
/// LightGCN's layer combination: <c>(E + A E + ... + A^K E) / (K + 1)</c> over the normalised graph, for the
/// embeddings (forward) and, since A is symmetric, for their gradients (backward). Owns its layer buffers: not
/// thread-safe, one training run uses it.
/// </summary>
internal sealed class LayerMean(LightGcnGraph graph, int dim, int layers, int threads)
{
    private readonly float[] _users = new float[graph.UserItems.Rows * dim];
    private readonly float[] _items = new float[graph.UserItems.Columns * dim];
    private readonly float[] _nextUsers = new float[graph.UserItems.Rows * dim];
    private readonly float[] _nextItems = new float[graph.UserItems.Columns * dim];

    public void Apply(float[] users, float[] items, float[] meanUsers, float[] meanItems)
    {
        users.CopyTo(meanUsers, 0);
        items.CopyTo(meanItems, 0);
        var (currentUsers, currentItems) = (users, items);
        for (var layer = 0; layer < layers; layer++)
        {
            var (nextUsers, nextItems) = layer % 2 == 0 ? (_nextUsers, _nextItems) : (_users, _items);
            graph.Propagate(currentUsers, currentItems, nextUsers, nextItems, dim, threads);
            TensorPrimitives.Add(meanUsers, nextUsers, meanUsers);
            TensorPrimitives.Add(meanItems, nextItems, meanItems);
            (currentUsers, currentItems) = (nextUsers, nextItems);
        }
        var scale = 1f / (layers + 1);
        TensorPrimitives.Multiply(meanUsers, scale, meanUsers);
        TensorPrimitives.Multiply(meanItems, scale, meanItems);
    }
}
