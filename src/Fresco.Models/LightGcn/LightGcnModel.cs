using System.Numerics.Tensors;
using Fresco.Core.Serialization;
using Fresco.Models.Factors;

namespace Fresco.Models.LightGcn;

/// <summary>
/// A trained LightGCN model (He et al., "LightGCN: Simplifying and Powering Graph Convolution Network for
/// Recommendation", SIGIR 2020): the propagated user and item embeddings (the mean of layers 0..K), scored by dot
/// product like any <see cref="FactorModel"/>. A user the graph did not hold is folded in as one propagation step
/// from their items: <c>e_u = sum_i e_i / sqrt(|N_u| d_i)</c> over the propagated item embeddings, with the items'
/// training degrees d_i. Immutable and thread-safe; fold-in allocates nothing.
/// </summary>
public sealed class LightGcnModel : FactorModel
{
    private readonly float[] _itemScale;

    /// <param name="itemScale">1 / sqrt(d_i) per item (0 for an item without training interactions).</param>
    public LightGcnModel(FactorModelBody body, float[] itemScale)
        : base(body, itemBias: null)
    {
        if (itemScale.Length != ItemCount)
        {
            throw new ArgumentException("The item scale needs one value per item.", nameof(itemScale));
        }
        _itemScale = itemScale;
    }

    public static ModelDescriptor Descriptor { get; } = new(
        "lightgcn",
        "LightGCN (He et al. 2020): embeddings propagated over the normalised user-item graph, BPR or SimpleX's cosine contrastive loss",
        BodyVersion,
        () => new LightGcnOptions(),
        context => LightGcnTrainer.Train(context),
        Load);

    public override string Kind => "lightgcn";

    /// <summary>1 / sqrt(d_i) of each item's training degree (0: none).</summary>
    public ReadOnlySpan<float> ItemScale => _itemScale;

    public override void FoldIn(ReadOnlySpan<int> items, ReadOnlySpan<float> weights, Span<float> destination)
    {
        var vector = destination[..Factors];
        vector.Clear();
        var count = 0;
        for (var k = 0; k < items.Length; k++)
        {
            var item = items[k];
            if ((uint)item < (uint)ItemCount && weights[k] > 0f)
            {
                TensorPrimitives.MultiplyAdd(ItemVector(item), _itemScale[item], vector, vector);
                count++;
            }
        }
        if (count > 0)
        {
            TensorPrimitives.Multiply(vector, 1f / MathF.Sqrt(count), vector);
        }
    }

    protected override FactorModel WithBody(FactorModelBody body) => new LightGcnModel(body, _itemScale);

    protected override void SaveExtra(ModelWriter writer) => writer.WriteArray<float>(_itemScale);

    private static LightGcnModel Load(ModelReader reader, int bodyVersion)
    {
        var body = ReadBody(reader, bodyVersion, "LightGCN");
        var scale = reader.ReadArray<float>();
        if (scale.Length != body.ItemFactors.Length / body.Factors)
        {
            throw new InvalidDataException("Model file is corrupt: the item scale does not match the item count.");
        }
        return new LightGcnModel(body, scale);
    }
}
