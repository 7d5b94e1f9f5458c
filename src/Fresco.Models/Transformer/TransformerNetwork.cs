using Fresco.Core.Nn;
using Fresco.Core.Serialization;

namespace Fresco.Models.Transformer;

/// <summary>
/// The SASRec network's parameters: the item table (tied: it embeds the inputs and scores the outputs), learned
/// positions (0 = the oldest event of the encoded window), the pre-LN blocks and a final layer norm. An input row
/// is <c>item * sqrt(dimension) + position</c>. Every block has the same shape (heads, attention width, feed-forward
/// width; the widths below the dimension after structured pruning). Not thread-safe while training; read-only afterwards.
/// </summary>
internal sealed class TransformerNetwork
{
    public TransformerNetwork(int items, int dimension, int blocks, int heads, int feedForward, int maxLength, int seed, int attentionWidth = 0)
    {
        Items = items;
        Dimension = dimension;
        MaxLength = maxLength;
        var random = new Random(seed);
        ItemTable = new NnParameter("items", Normal(random, items * dimension, 1.0 / Math.Sqrt(dimension) / Math.Sqrt(dimension)));
        PositionTable = new NnParameter("positions", Normal(random, maxLength * dimension, 0.02), decay: false);
        Blocks = [.. Enumerable.Range(0, blocks).Select(b => new TransformerBlock($"block{b}", dimension, heads, feedForward, random.Next(), attentionWidth))];
        var gain = new float[dimension];
        Array.Fill(gain, 1f);
        FinalGain = new NnParameter("final.gain", gain, decay: false);
        FinalBias = new NnParameter("final.bias", dimension, decay: false);
        Parameters = [ItemTable, PositionTable, .. Blocks.SelectMany(b => b.Parameters), FinalGain, FinalBias];
    }

    public int Items { get; }

    public int Dimension { get; }

    public int MaxLength { get; }

    public float InputScale => MathF.Sqrt(Dimension);

    public NnParameter ItemTable { get; }

    public NnParameter PositionTable { get; }

    public TransformerBlock[] Blocks { get; }

    public NnParameter FinalGain { get; }

    public NnParameter FinalBias { get; }

    public IReadOnlyList<NnParameter> Parameters { get; }

    /// <summary>Number of floats in every parameter.</summary>
    public long ParameterCount => Parameters.Sum(p => (long)p.Value.Length);

    public void CopyValuesTo(float[][] destination)
    {
        for (var p = 0; p < Parameters.Count; p++)
        {
            Parameters[p].Value.CopyTo(destination[p], 0);
        }
    }

    public void CopyValuesFrom(float[][] source)
    {
        for (var p = 0; p < Parameters.Count; p++)
        {
            source[p].CopyTo(Parameters[p].Value, 0);
        }
    }

    public void Save(ModelWriter writer)
    {
        foreach (var parameter in Parameters)
        {
            writer.WriteArray<float>(parameter.Value);
        }
    }

    public void Load(ModelReader reader)
    {
        foreach (var parameter in Parameters)
        {
            var values = reader.ReadArray<float>();
            if (values.Length != parameter.Value.Length)
            {
                throw new InvalidDataException($"Transformer model file is corrupt: {parameter.Name} holds {values.Length} values, expected {parameter.Value.Length}.");
            }
            values.CopyTo(parameter.Value, 0);
        }
    }

    private static float[] Normal(Random random, int length, double deviation)
    {
        var values = new float[length];
        for (var i = 0; i < length; i++)
        {
            // Box-Muller, truncated at two deviations.
            double z;
            do
            {
                z = Math.Sqrt(-2.0 * Math.Log(1.0 - random.NextDouble())) * Math.Cos(2.0 * Math.PI * random.NextDouble());
            }
            while (Math.Abs(z) > 2.0);
            values[i] = (float)(z * deviation);
        }
        return values;
    }
}
