using Fresco.Models.Bpr;
using Fresco.Models.LightGcn;
using Fresco.TestKit;
using Xunit;

namespace Fresco.Models.Tests.LightGcn;

public sealed class CosineLossTests
{
    [Theory]
    [InlineData("cosine", 0.9f)]
    [InlineData("cosine", 0.0f)]
    [InlineData("softmax", 0.0f)]
    public void TheGradientMatchesCentralDifferencesOfTheLoss(string kind, float margin)
    {
        var matrix = TinyData.Matrix();
        const int Dim = 5;
        CosineLoss loss = kind == "cosine"
            ? new CosineContrastiveLoss(matrix, batchSize: 7, negatives: 6, Dim, margin, weight: 3f, threads: 1)
            : new SampledSoftmaxLoss(matrix, batchSize: 7, negatives: 6, Dim, temperature: 0.5f, threads: 1);
        var random = new SplitMix(3);
        loss.Sample(ref random);
        var users = Embeddings(matrix.Rows * Dim, ref random);
        var items = Embeddings(matrix.Columns * Dim, ref random);
        if (margin > 0f)
        {
            // Align every item with user 0's direction so that negatives cross a high margin too.
            for (var k = 0; k < items.Length; k++)
            {
                items[k] = 0.3f * items[k] + users[k % Dim];
            }
        }
        var (userGrad, itemGrad) = (new float[users.Length], new float[items.Length]);
        loss.Gradient(users, items, userGrad, itemGrad);

        const float H = 1e-3f;
        foreach (var (values, grad) in new[] { (users, userGrad), (items, itemGrad) })
        {
            for (var k = 0; k < values.Length; k++)
            {
                var kept = values[k];
                values[k] = kept + H;
                var up = loss.Gradient(users, items, new float[users.Length], new float[items.Length]);
                values[k] = kept - H;
                var down = loss.Gradient(users, items, new float[users.Length], new float[items.Length]);
                values[k] = kept;
                Assert.Equal((up - down) / (2 * H), grad[k], 2e-2);
            }
        }
    }

    private static float[] Embeddings(int length, ref SplitMix random)
    {
        var values = new float[length];
        for (var k = 0; k < length; k++)
        {
            values[k] = (float)((random.Next() >> 11) * (1.0 / (1UL << 53))) - 0.5f;
        }
        return values;
    }
}
