using Fresco.Core.Models;
using Fresco.Core.Serialization;

namespace Fresco.Models.Ease;

/// <summary>
/// EASE: an item x item weight matrix B with a zero diagonal; a user's scores are x_u^T B, the sum of B's rows
/// over the history items, weighted. Memory: items^2 floats. Immutable and thread-safe.
/// </summary>
public sealed class EaseModel : IRecommender
{
    private readonly float[] _weights;

    public EaseModel(int itemCount, float[] weights, IReadOnlyDictionary<string, string> options)
    {
        if (weights.Length != (long)itemCount * itemCount)
        {
            throw new ArgumentException("The weight matrix must be items x items.", nameof(weights));
        }
        ItemCount = itemCount;
        _weights = weights;
        Options = options;
    }

    public static ModelDescriptor Descriptor { get; } = new(
        "ease",
        "EASE: closed-form item-item linear autoencoder (Steck 2019); catalogs up to tens of thousands of items",
        1,
        () => new EaseOptions(),
        context => EaseTrainer.Train(context),
        Load);

    public string Kind => "ease";

    public int ItemCount { get; }

    public int UserCount => 0;

    public IReadOnlyDictionary<string, string> Options { get; }

    /// <summary>Row <paramref name="itemIndex"/> of B: the item's weight towards every item.</summary>
    public ReadOnlySpan<float> WeightRow(int itemIndex) => _weights.AsSpan(itemIndex * ItemCount, ItemCount);

    public void Score(UserHistory user, Span<float> scores)
    {
        var target = scores[..ItemCount];
        target.Clear();
        var items = user.Items;
        var weights = user.Weights;
        for (var i = 0; i < items.Length; i++)
        {
            if ((uint)items[i] < (uint)ItemCount)
            {
                System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(WeightRow(items[i]), weights[i], target, target);
            }
        }
    }

    public bool TryScoreSimilar(int itemIndex, Span<float> scores)
    {
        if ((uint)itemIndex >= (uint)ItemCount)
        {
            return false;
        }
        WeightRow(itemIndex).CopyTo(scores);
        return true;
    }

    public void Save(ModelWriter writer)
    {
        writer.WriteOptions(Options);
        writer.Write(ItemCount);
        writer.WriteArray<float>(_weights);
    }

    private static EaseModel Load(ModelReader reader, int bodyVersion)
    {
        if (bodyVersion != 1)
        {
            throw new InvalidDataException($"EASE model body version {bodyVersion} is not supported.");
        }
        var options = reader.ReadOptions();
        var items = reader.ReadInt32();
        var weights = reader.ReadArray<float>();
        if (items < 0 || weights.Length != (long)items * items)
        {
            throw new InvalidDataException("EASE model file is corrupt: the weight matrix is not items x items.");
        }
        return new EaseModel(items, weights, options);
    }
}
