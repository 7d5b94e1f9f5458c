using Fresco.Core.Nn;
using Xunit;

namespace Fresco.Core.Tests.Nn;

public sealed class TransformerBlockTests
{
    private const int Batch = 2, Length = 3, Dimension = 4, Heads = 2, Hidden = 6;

    [Theory]
    [InlineData(0f, 0)]
    [InlineData(0.2f, 0)]
    [InlineData(0.2f, 2)] // attention narrower than the block, as structured pruning leaves it
    public void BackwardMatchesFiniteDifferencesForInputAndEveryParameter(float dropout, int attentionWidth)
    {
        var block = Block(attentionWidth);
        var x = GradCheck.Random(Batch * Length * Dimension, 1);
        int[] lengths = [3, 2];
        var r = GradCheck.Random(x.Length, 2);
        var a = new TransformerActivations(Batch, Length, Dimension, Heads, Hidden);
        var y = new float[x.Length];
        double Loss()
        {
            block.Forward(x, lengths, a, y, dropout, seed: 7);
            return GradCheck.Dot(r, y);
        }
        Loss();
        var dx = new float[x.Length];
        block.Backward(x, r, a, dx);
        GradCheck.Assert(x, dx, Loss, step: 3e-3f, tolerance: 5e-3);
        foreach (var parameter in block.Parameters)
        {
            GradCheck.Assert(parameter.Value, parameter.Grad, Loss, step: 3e-3f, tolerance: 5e-3);
        }
    }

    [Fact]
    public void OutputAtTIsIndependentOfLaterInputs()
    {
        var block = Block();
        var x = GradCheck.Random(Batch * Length * Dimension, 3);
        int[] lengths = [3, 3];
        var a = new TransformerActivations(Batch, Length, Dimension, Heads, Hidden);
        var before = new float[x.Length];
        block.Forward(x, lengths, a, before);
        for (var i = 2 * Dimension; i < 3 * Dimension; i++)
        {
            x[i] += 5f; // last position of the first sequence
        }
        var after = new float[x.Length];
        block.Forward(x, lengths, a, after);
        Assert.Equal(before.AsSpan(0, 2 * Dimension), after.AsSpan(0, 2 * Dimension));
        Assert.Equal(before.AsSpan(3 * Dimension), after.AsSpan(3 * Dimension));
        Assert.NotEqual(before[2 * Dimension], after[2 * Dimension]);
    }

    private static TransformerBlock Block(int attentionWidth = 0)
    {
        var block = new TransformerBlock("block0", Dimension, Heads, Hidden, seed: 11, attentionWidth);
        // Non-trivial gains and biases so their gradients are exercised away from the defaults.
        var random = new Random(5);
        foreach (var parameter in block.Parameters)
        {
            if (!parameter.Decay)
            {
                for (var i = 0; i < parameter.Value.Length; i++)
                {
                    parameter.Value[i] += (random.NextSingle() - 0.5f) * 0.4f;
                }
            }
        }
        return block;
    }
}
