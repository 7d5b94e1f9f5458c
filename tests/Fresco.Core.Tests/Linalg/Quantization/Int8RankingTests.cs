using System.Numerics.Tensors;
using Fresco.Core.Linalg.Quantization;
using Xunit;

namespace Fresco.Core.Tests.Linalg.Quantization;

/// <summary>Int8 scoring against fp32 on 10k random 64-factor items, the shape of an ALS/BPR catalogue.</summary>
public sealed class Int8RankingTests
{
    private const int Items = 10_000;
    private const int Factors = 64;
    private const int Queries = 20;
    private const int K = 10;

    [Fact]
    public void Int8ScoresStayWithinTheProvenBoundAndKeepTheTopTen()
    {
        var itemFactors = QuantizationData.Gaussian(Items * Factors, 1);
        var items = QuantizedMatrix.Quantize(itemFactors, Items, Factors);
        var query = new byte[items.Stride];
        var exact = new float[Items];
        var approximate = new float[Items];
        var overlap = 0;
        var relativeError = 0.0;
        for (var q = 0; q < Queries; q++)
        {
            var user = QuantizationData.Gaussian(Factors, 100 + q);
            var userScale = Int8Quantizer.QuantizeUnsigned(user, query);
            Int8Kernels.ScoreAll(items, query, userScale, approximate);
            var userL1 = TensorPrimitives.SumOfMagnitudes(user);
            var userNorm = TensorPrimitives.Norm(user);
            for (var i = 0; i < Items; i++)
            {
                var row = itemFactors.AsSpan(i * Factors, Factors);
                exact[i] = TensorPrimitives.Dot(user, row);
                // |e_u| <= s_u/2 and |e_v| <= s_v/2 per element give |u.v - u^.v^| <= s_u/2 |v|_1 + s_v/2 |u|_1 + n s_u s_v / 4;
                // the slack covers fp32 rounding in both scores (relative 1e-5 of the largest magnitude).
                var itemScale = items.Scale(i);
                var bound = userScale / 2 * TensorPrimitives.SumOfMagnitudes(row) + itemScale / 2 * userL1 + Factors * userScale * itemScale / 4;
                var error = Math.Abs(exact[i] - approximate[i]);
                Assert.True(error <= bound + 1e-5f * (userL1 * TensorPrimitives.MaxMagnitude(row) + 1f), $"item {i}: {exact[i]} vs {approximate[i]}, bound {bound}");
                relativeError += error / (userNorm * TensorPrimitives.Norm(row));
            }
            overlap += TopK(exact).Intersect(TopK(approximate)).Count();
        }
        var meanOverlap = (double)overlap / Queries;
        var meanRelativeError = relativeError / (Queries * Items);
        Assert.True(meanOverlap >= 9.0, $"mean top-{K} overlap {meanOverlap}");
        // Rounding errors are roughly uniform on +-s/2 (std s/sqrt 12) with s ~ 2.5/127 for 64 Gaussian values, so
        // the error of u.v has std ~ sqrt(2 n / 12) s ~ 0.064 against |u||v| ~ n = 64: about 1e-3 (measured 8.4e-4;
        // top-10 overlap measured 9.9). The assertion allows twice that.
        Assert.True(meanRelativeError <= 2e-3, $"mean relative error {meanRelativeError}");
    }

    private static IEnumerable<int> TopK(float[] scores) =>
        Enumerable.Range(0, scores.Length).OrderByDescending(i => scores[i]).Take(K);
}
