using Fresco.Core.Models;
using Fresco.Core.Nn;
using Fresco.Core.Ranking;
using Fresco.Models.Transformer;
using Xunit;

namespace Fresco.Models.Tests.Transformer;

public sealed class StructuredPruningTests
{
    private const int Items = 40;
    private const int Dimension = 64;
    private const int MaxLength = 6;

    [Theory]
    [InlineData(0.25, 48, 36)]
    [InlineData(0.5, 32, 24)]
    [InlineData(0.75, 16, 12)]
    public void PrunedWeightsShrinkByTheStatedShare(double ratio, int attention, int feedForward)
    {
        var network = RandomNetwork();
        var pruned = StructuredPruning.Prune(network, ratio);
        foreach (var block in pruned.Blocks)
        {
            Assert.Equal((attention, feedForward), (block.AttentionWidth, block.HiddenSize));
        }
        // Per block: Wq, Wk, Wv (d x w), Wo (w x d), W1 (d x f), W2 (f x d) and the biases bq, bk, bv, b1 (not the
        // two norms and the output biases bo, b2 of width d).
        static long Matrices(TransformerNetwork n) => n.Blocks.Sum(b => b.Parameters.Sum(p => (long)p.Value.Length) - (6L * b.Dimension));
        Assert.Equal((1 - ratio) * Matrices(network), Matrices(pruned), precision: 0);
        Assert.Equal(network.ParameterCount - Matrices(network) + Matrices(pruned), pruned.ParameterCount);
        var (before, after) = (new TransformerEncoder(network, int8: true).MemoryBytes, new TransformerEncoder(pruned, int8: true).MemoryBytes);
        Assert.True(after < before, $"int8 weights {after} B pruned vs {before} B");
    }

    [Fact]
    public void PruningDeadUnitsAndColumnsLeavesTheOutputUnchanged()
    {
        // Half of each head's query columns, value columns (their Wo rows) and feed-forward units (their W2 rows)
        // contribute nothing: pruning half must remove exactly those, and the narrower network (encoder and
        // training pass) must compute what the whole one did.
        var network = RandomNetwork();
        foreach (var block in network.Blocks)
        {
            int d = block.Dimension, w = block.AttentionWidth, perHead = w / block.Heads;
            for (var j = 0; j < w; j++)
            {
                if (j % perHead % 2 == 1)
                {
                    continue;
                }
                for (var i = 0; i < d; i++)
                {
                    Wq(block)[(i * w) + j] = 0f;
                    Wo(block)[(j * d) + i] = 0f;
                }
                Bq(block)[j] = 0f;
            }
            for (var unit = 0; unit < block.HiddenSize; unit += 2)
            {
                W2(block).AsSpan(unit * d, d).Clear();
            }
        }
        var pruned = StructuredPruning.Prune(network, 0.5);
        var (whole, narrow) = (new TransformerEncoder(network, int8: false), new TransformerEncoder(pruned, int8: false));
        var (a, b) = (whole.CreateState(), narrow.CreateState());
        var random = new Random(5);
        for (var trial = 0; trial < 10; trial++)
        {
            var sequence = Enumerable.Range(0, 1 + random.Next(MaxLength)).Select(_ => random.Next(Items)).ToArray();
            whole.Encode(a, sequence);
            narrow.Encode(b, sequence);
            AssertClose(a.Output, b.Output, 1e-4f);
            AssertClose(a.Output, BatchOutput(pruned, sequence), 1e-4f);
        }
    }

    [Fact]
    public void PruningNothingKeepsTheScores()
    {
        var network = RandomNetwork();
        var (whole, same) = (new TransformerEncoder(network, int8: false), new TransformerEncoder(StructuredPruning.Prune(network, 0), int8: false));
        var (a, b) = (whole.CreateState(), same.CreateState());
        int[] sequence = [4, 8, 15, 16, 23];
        whole.Encode(a, sequence);
        same.Encode(b, sequence);
        Assert.Equal(a.Output.ToArray(), b.Output.ToArray());
    }

    [Theory]
    [InlineData("prune=0.25", 0.8)]
    [InlineData("prune=0.5", 0.6)]
    [InlineData("prune=0.5 prune_epochs=3", 0.6)]
    public void PrunedTopTenOverlapsTheUnprunedModel(string pruning, double floor)
    {
        var (data, _) = SequenceData.Cycle(items: 80, users: 240, length: 8, seed: 11);
        string[] options = [.. SequenceData.TinyOptions, "dimension=32", "feed_forward=32", "epochs=40", "threads=2"];
        var whole = (TransformerModel)ModelCatalog.Train("transformer", new TrainingContext(data, ModelCatalog.CreateOptions("transformer", options)));
        var pruned = (TransformerModel)ModelCatalog.Train("transformer", new TrainingContext(data, ModelCatalog.CreateOptions("transformer", [.. options, .. pruning.Split(' ')])));
        Assert.True(pruned.ParameterCount < whole.ParameterCount);
        var (expected, actual) = (new ScoredItem[10], new ScoredItem[10]);
        double overlap = 0;
        for (var u = 0; u < data.UserItems.Rows; u++)
        {
            var history = UserHistory.FromMatrix(data.UserItems, u);
            whole.Recommend(history, expected);
            pruned.Recommend(history, actual);
            overlap += expected.Select(s => s.ItemIndex).Intersect(actual.Select(s => s.ItemIndex)).Count() / 10.0;
        }
        overlap /= data.UserItems.Rows;
        Assert.True(overlap >= floor, $"{pruning}: top-10 overlap with the unpruned model {overlap:F3} < {floor}");
    }

    [Fact]
    public void APrunedModelSavesAndLoadsToTheSameScores()
    {
        var (data, _) = SequenceData.Cycle(items: 30, users: 40, length: 6, seed: 2);
        var model = ModelCatalog.Train("transformer", new TrainingContext(data, ModelCatalog.CreateOptions("transformer", [.. SequenceData.TinyOptions, "epochs=3", "prune=0.5", "quantize=int8"])));
        using var stream = new MemoryStream();
        ModelCatalog.Save(model, stream);
        stream.Position = 0;
        var loaded = (TransformerModel)ModelCatalog.Load(stream);
        Assert.Equal(((TransformerModel)model).ParameterCount, loaded.ParameterCount);
        Assert.Equal("0.5", loaded.Options["prune"]);
        AssertSameScores(model, loaded, data.UserItems.Rows);
    }

    [Fact]
    public void AVersionOneFileStillLoads()
    {
        var (data, _) = SequenceData.Cycle(items: 30, users: 40, length: 6, seed: 2);
        var model = ModelCatalog.Train("transformer", new TrainingContext(data, ModelCatalog.CreateOptions("transformer", [.. SequenceData.TinyOptions, "epochs=3"])));
        using var stream = new MemoryStream();
        ModelCatalog.Save(model, stream);
        // Version 1 had no attention width after the feed-forward width: remove it and set the body version.
        var bytes = stream.ToArray().ToList();
        int[] shape = [30, 16, 1, 2, 32, 16, 4];
        var pattern = shape.SelectMany(BitConverter.GetBytes).ToArray();
        var at = Enumerable.Range(0, bytes.Count - pattern.Length).Single(i => bytes.Skip(i).Take(pattern.Length).SequenceEqual(pattern));
        bytes.RemoveRange(at + (5 * sizeof(int)), sizeof(int));
        var version = 8 + sizeof(int) + 1 + "transformer".Length;
        Assert.Equal(2, BitConverter.ToInt32([.. bytes.Skip(version).Take(sizeof(int))]));
        var old = bytes.ToArray();
        BitConverter.GetBytes(1).CopyTo(old, version);
        var loaded = (TransformerModel)ModelCatalog.Load(new MemoryStream(old));
        AssertSameScores(model, loaded, data.UserItems.Rows);
    }

    private static void AssertSameScores(IRecommender expectedModel, IRecommender actualModel, int users)
    {
        var (expected, actual) = (new float[expectedModel.ItemCount], new float[actualModel.ItemCount]);
        for (var u = 0; u < users; u++)
        {
            expectedModel.Score(new UserHistory(u, [], []), expected);
            actualModel.Score(new UserHistory(u, [], []), actual);
            Assert.Equal(expected, actual);
        }
    }

    private static float[] Wq(TransformerBlock block) => block.Parameters[2].Value;

    private static float[] Bq(TransformerBlock block) => block.Parameters[3].Value;

    private static float[] Wo(TransformerBlock block) => block.Parameters[8].Value;

    private static float[] W2(TransformerBlock block) => block.Parameters[14].Value;

    private static float[] BatchOutput(TransformerNetwork network, ReadOnlySpan<int> sequence)
    {
        var batch = new TransformerBatch(network, 1, MaxLength);
        batch.SetSequence(0, sequence, []);
        batch.Forward(0f, 0, threads: 1);
        return batch.Output.AsSpan((MaxLength - 1) * Dimension, Dimension).ToArray();
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
