using Fresco.Core.Models;
using Fresco.Models.Transformer;
using Xunit;

namespace Fresco.Models.Tests.Transformer;

public sealed class TransformerEncoderTests
{
    private const int Items = 40;
    private const int Dimension = 64;
    private const int MaxLength = 6;

    [Fact]
    public void AppendingEventsEqualsEncodingTheWholeSequence()
    {
        var network = RandomNetwork();
        var encoder = new TransformerEncoder(network, int8: false);
        var incremental = encoder.CreateState();
        var full = encoder.CreateState();
        int[] sequence = [3, 17, 17, 0, 39, 8, 21, 5, 12];
        for (var n = 1; n <= sequence.Length; n++)
        {
            encoder.Append(incremental, sequence[n - 1]);
            encoder.Encode(full, sequence.AsSpan(0, n));
            Assert.Equal(Math.Min(n, MaxLength), incremental.Count);
            AssertClose(full.Output, incremental.Output, 1e-5f);
            // The batched training pass is an independent implementation of the same network.
            AssertClose(BatchOutput(network, sequence.AsSpan(Math.Max(0, n - MaxLength), Math.Min(n, MaxLength))), full.Output, 1e-4f);
        }
    }

    [Fact]
    public void Int8ScoresAgreeWithFp32()
    {
        var network = RandomNetwork();
        var fp32 = new TransformerEncoder(network, int8: false);
        var int8 = new TransformerEncoder(network, int8: true);
        Assert.True(int8.MemoryBytes * 2 < fp32.MemoryBytes);
        var (a, b) = (fp32.CreateState(), int8.CreateState());
        var (expected, actual) = (new float[Items], new float[Items]);
        var random = new Random(4);
        for (var trial = 0; trial < 20; trial++)
        {
            var sequence = Enumerable.Range(0, 1 + random.Next(MaxLength + 2)).Select(_ => random.Next(Items)).ToArray();
            fp32.Encode(a, sequence);
            int8.Encode(b, sequence);
            fp32.Score(a, expected);
            int8.Score(b, actual);
            var error = Math.Sqrt(expected.Zip(actual, (x, y) => (double)(x - y) * (x - y)).Sum());
            var norm = Math.Sqrt(expected.Sum(x => (double)x * x));
            Assert.True(error < 0.03 * norm, $"int8 scores are {error / norm:P1} away from fp32");
            Assert.Equal(Array.IndexOf(expected, expected.Max()), Array.IndexOf(actual, actual.Max()));
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void WarmedEncodeAndScoreDoNotAllocate(bool quantized)
    {
        var encoder = new TransformerEncoder(RandomNetwork(), quantized);
        var state = encoder.CreateState();
        var scores = new float[Items];
        int[] sequence = [1, 2, 3, 4, 5, 6, 7, 8];
        encoder.Encode(state, sequence);
        encoder.Score(state, scores);
        var before = GC.GetAllocatedBytesForCurrentThread();
        encoder.Encode(state, sequence);
        encoder.Append(state, 9);
        encoder.Score(state, scores);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(65)]
    [InlineData(127)]
    [InlineData(129)]
    [InlineData(300)]
    public void RowQuantizationMatchesTheScalarQuantizer(int length)
    {
        var random = new Random(length);
        var values = Enumerable.Range(0, length).Select(_ => (random.NextSingle() - 0.5f) * 6f).ToArray();
        values[length / 2] = 0.5f * MathF.Abs(values[0]) / 127f * 127f;
        var stride = (length + 63) / 64 * 64;
        // Three rows: the values, their negation and zeros, quantized at once.
        float[] rows = [.. values, .. values.Select(v => -v), .. new float[length]];
        var expected = new byte[3 * stride];
        var expectedScales = new float[3];
        for (var r = 0; r < 3; r++)
        {
            expectedScales[r] = Fresco.Core.Linalg.Quantization.Int8Quantizer.QuantizeUnsigned(rows.AsSpan(r * length, length), expected.AsSpan(r * stride, stride));
        }
        var (actual, scales) = (new byte[3 * stride], new float[3]);
        DenseWeights.QuantizeRows(rows, 3, length, stride, actual, scales, new float[6 * length]);
        Assert.Equal(expectedScales, scales);
        Assert.Equal(expected, actual);
    }

    private static float[] BatchOutput(TransformerNetwork network, ReadOnlySpan<int> sequence)
    {
        var batch = new TransformerBatch(network, 2, MaxLength);
        batch.SetSequence(0, [7], []);
        batch.SetSequence(1, sequence, []);
        batch.Forward(0f, 0, threads: 1);
        return batch.Output.AsSpan(((2 * MaxLength) - 1) * Dimension, Dimension).ToArray();
    }

    /// <summary>Two blocks, two heads, every parameter (gains and biases too) random.</summary>
    private static TransformerNetwork RandomNetwork()
    {
        var network = new TransformerNetwork(Items, Dimension, blocks: 2, heads: 2, feedForward: 48, MaxLength, seed: 9);
        var random = new Random(2);
        foreach (var parameter in network.Parameters)
        {
            for (var i = 0; i < parameter.Value.Length; i++)
            {
                parameter.Value[i] += (random.NextSingle() - 0.5f) * 0.2f;
            }
        }
        return network;
    }

    private static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, float tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * (1 + Math.Abs(expected[i])), $"[{i}] expected {expected[i]}, got {actual[i]}");
        }
    }
}
