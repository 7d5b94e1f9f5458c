using Fresco.Core.Nn;
using Xunit;

namespace Fresco.Core.Tests.Nn;

public sealed class EmbeddingTests
{
    [Fact]
    public void ForwardGathersRows()
    {
        float[] table = [0, 1, 10, 11, 20, 21];
        var output = new float[6];
        Embedding.Forward(table, 2, [2, 0, 2], output);
        Assert.Equal([20f, 21f, 0f, 1f, 20f, 21f], output);
    }

    [Fact]
    public void BackwardScatterAddsRepeatedIdsAndMatchesFiniteDifferences()
    {
        const int dimension = 3;
        var table = GradCheck.Random(5 * dimension, 1);
        int[] ids = [4, 1, 4, 0, 4];
        var r = GradCheck.Random(ids.Length * dimension, 2);
        var output = new float[ids.Length * dimension];
        var grad = new float[table.Length];
        Embedding.Backward(r, dimension, ids, grad);
        // Row 4 collects three output rows; rows 2 and 3 are unused.
        Assert.Equal(r[0] + r[6] + r[12], grad[12], 5);
        Assert.All(grad.AsSpan(6, 6).ToArray(), g => Assert.Equal(0f, g));
        GradCheck.Assert(table, grad, () =>
        {
            Embedding.Forward(table, dimension, ids, output);
            return GradCheck.Dot(r, output);
        });
    }
}
