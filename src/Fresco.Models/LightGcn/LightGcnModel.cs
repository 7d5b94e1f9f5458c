using System.Numerics.Tensors;
using Fresco.Core.Serialization;
using Fresco.Models.Factors;

namespace Fresco.Models.LightGcn;

/// <summary>
/// A trained LightGCN model (He et al., "LightGCN: Simplifying and Powering Graph Convolution Network for
/// Recommendation", SIGIR 2020): the propagated user and item embeddings (the mean of layers 0..K), scored by dot
/// product like any <see cref="FactorModel"/>. A user the graph did not hold is folded in as one propagation step
/// from their items: <c>e_u = sum_i e_i / sqrt(|N_u| d_i)</c> over the propagated item embeddings, with the items'
/// training degrees d_i; with SimpleX's user tower (<c>user_weight</c> below 1), as the tower without a user
/// embedding, the unit mean of V e_i over their items. Immutable and thread-safe; fold-in allocates nothing.
/// </summary>
public sealed class LightGcnModel : FactorModel
{
    /// <summary>The model file's body version: 3 added the tower's mapped items after the item scale.</summary>
    public const int FileVersion = 3;

    private readonly float[] _itemScale;
    private readonly float[]? _mappedItems;

    /// <param name="itemScale">1 / sqrt(d_i) per item (0 for an item without training interactions).</param>
    /// <param name="mappedItems">V e_i per item, row-major, when trained with the user tower; else null.</param>
    public LightGcnModel(FactorModelBody body, float[] itemScale, float[]? mappedItems = null)
        : base(body, itemBias: null)
    {
        if (itemScale.Length != ItemCount)
        {
            throw new ArgumentException("The item scale needs one value per item.", nameof(itemScale));
        }
        if (mappedItems is not null && mappedItems.Length != ItemCount * Factors)
        {
            throw new ArgumentException("The mapped items need one row per item.", nameof(mappedItems));
        }
        _itemScale = itemScale;
        _mappedItems = mappedItems;
    }

    public static ModelDescriptor Descriptor { get; } = new(
        "lightgcn",
        "LightGCN (He et al. 2020): embeddings propagated over the normalised user-item graph, BPR or SimpleX's cosine contrastive loss and user tower",
        FileVersion,
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
            if ((uint)item >= (uint)ItemCount || !(weights[k] > 0f))
            {
                continue;
            }
            if (_mappedItems is null)
            {
                TensorPrimitives.MultiplyAdd(ItemVector(item), _itemScale[item], vector, vector);
            }
            else
            {
                TensorPrimitives.Add(vector, _mappedItems.AsSpan(item * Factors, Factors), vector);
            }
            count++;
        }
        if (count == 0)
        {
            return;
        }
        var norm = _mappedItems is null ? MathF.Sqrt(count) : TensorPrimitives.Norm(vector);
        if (norm > 0f)
        {
            TensorPrimitives.Multiply(vector, 1f / norm, vector);
        }
    }

    protected override FactorModel WithBody(FactorModelBody body) => new LightGcnModel(body, _itemScale, _mappedItems);

    protected override void SaveExtra(ModelWriter writer)
    {
        writer.WriteArray<float>(_itemScale);
        writer.Write(_mappedItems is not null);
        if (_mappedItems is not null)
        {
            writer.WriteArray<float>(_mappedItems);
        }
    }

    /// <summary>Body versions 1 and 2 are the factor body's with the item scale; 3 adds the mapped items.</summary>
    private static LightGcnModel Load(ModelReader reader, int bodyVersion)
    {
        if (bodyVersion is < 1 or > FileVersion)
        {
            throw new InvalidDataException($"LightGCN model body version {bodyVersion} is not supported (this build reads 1 to {FileVersion}).");
        }
        var body = ReadBody(reader, Math.Min(bodyVersion, BodyVersion), "LightGCN");
        var scale = reader.ReadArray<float>();
        var items = body.ItemFactors.Length / body.Factors;
        if (scale.Length != items)
        {
            throw new InvalidDataException("Model file is corrupt: the item scale does not match the item count.");
        }
        var mapped = bodyVersion >= 3 && reader.ReadBoolean() ? reader.ReadArray<float>() : null;
        if (mapped is not null && mapped.Length != body.ItemFactors.Length)
        {
            throw new InvalidDataException("Model file is corrupt: the mapped items do not match the item table.");
        }
        return new LightGcnModel(body, scale, mapped);
    }
}
