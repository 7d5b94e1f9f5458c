using System.Numerics.Tensors;
using Fresco.Core.Models;
using Fresco.Core.Serialization;
using Fresco.Models.Factors;

namespace Fresco.Models.Bpr;

/// <summary>
/// A trained BPR model: user and item factors and an item bias. A user it does not hold is folded in as the
/// weighted mean of their items' vectors (an item-to-item dot-product recommender; no sampling, so it is
/// deterministic and allocation-free). Immutable and thread-safe.
/// </summary>
public sealed class BprModel(FactorModelBody body)
    : FactorModel(body, body.ItemBias ?? new float[body.ItemFactors.Length / body.Factors])
{
    public static ModelDescriptor Descriptor { get; } = new(
        "bpr",
        "Bayesian personalized ranking (Rendle et al. 2009), parallel SGD with item bias",
        BodyVersion,
        () => new BprOptions(),
        context => BprTrainer.Train(context),
        Load);

    public override string Kind => "bpr";

    public override void FoldIn(ReadOnlySpan<int> items, ReadOnlySpan<float> weights, Span<float> destination)
    {
        var vector = destination[..Factors];
        vector.Clear();
        var total = 0f;
        for (var j = 0; j < items.Length; j++)
        {
            var item = items[j];
            var w = weights[j];
            if ((uint)item < (uint)ItemCount && w > 0f)
            {
                TensorPrimitives.MultiplyAdd(ItemVector(item), w, vector, vector);
                total += w;
            }
        }
        if (total > 0f)
        {
            TensorPrimitives.Multiply(vector, 1f / total, vector);
        }
    }

    protected override FactorModel WithBody(FactorModelBody body) => new BprModel(body);

    private static BprModel Load(ModelReader reader, int bodyVersion) => new(ReadBody(reader, bodyVersion, "BPR"));
}
