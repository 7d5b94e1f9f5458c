using Fresco.Models.Bpr;
using Fresco.Models.LightGcn;
using Fresco.TestKit;
using Xunit;

namespace Fresco.Models.Tests.LightGcn;

public sealed class CosineLossTests
{
    [Theory]
    [InlineData("cosine", 0.9f, 1f, 0f)]
    [InlineData("cosine", 0.0f, 1f, 0f)]
    [InlineData("softmax", 0.0f, 1f, 0f)]
    [InlineData("cosine", 0.0f, 0.6f, 0.3f)]
    [InlineData("softmax", 0.0f, 0.6f, 0.3f)]
    public void TheGradientMatchesCentralDifferencesOfTheLoss(string kind, float margin, float userWeight, float dropout)
    {
        var matrix = TinyData.Matrix();
        const int Dim = 5;
        var tower = userWeight < 1f ? new UserTower(matrix, batchSize: 7, Dim, userWeight, threads: 1) : null;
        // Dropout masks are drawn by Sample, so they stay fixed while the loss is differenced.
        var setup = new CosineSetup(matrix, BatchSize: 7, Negatives: 6, Dim, Threads: 1) { Tower = tower, Dropout = dropout };
        CosineLoss loss = kind == "cosine"
            ? new CosineContrastiveLoss(setup, margin, weight: 3f)
            : new SampledSoftmaxLoss(setup, temperature: 0.5f);
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
        if (tower is not null)
        {
            var map = Embeddings(Dim * Dim, ref random);
            map.CopyTo(tower.Map.Value, 0);
        }
        var (userGrad, itemGrad) = (new float[users.Length], new float[items.Length]);
        loss.Gradient(users, items, userGrad, itemGrad);
        var mapGrad = tower?.Map.Grad.ToArray() ?? [];
        for (var k = 0; k < mapGrad.Length; k++)
        {
            var map = tower!.Map.Value;
            var kept = map[k];
            map[k] = kept + 1e-3f;
            var up = loss.Gradient(users, items, new float[users.Length], new float[items.Length]);
            map[k] = kept - 1e-3f;
            var down = loss.Gradient(users, items, new float[users.Length], new float[items.Length]);
            map[k] = kept;
            Assert.Equal((up - down) / 2e-3, mapGrad[k], 2e-2);
        }

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
