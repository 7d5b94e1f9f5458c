using Fresco.Core.Models;
using Fresco.Core.Serialization;
using Fresco.Models.Factors;

namespace Fresco.Models.Als;

/// <summary>
/// A trained implicit-ALS model: user and item factors plus <c>G = Y^T Y + reg I</c> of the item factors, so
/// that <see cref="FoldIn"/> solves a new or changed user's normal equations exactly in O(n dim^2 + dim^3)
/// (microseconds at 64 factors). Immutable and thread-safe.
/// </summary>
public sealed class AlsModel : FactorModel
{
    [ThreadStatic]
    private static float[]? s_matrix;

    private readonly float[] _gram;

    public AlsModel(FactorModelBody body, float[] gram, float regularization, float alpha)
        : base(body, itemBias: null)
    {
        if (gram.Length != body.Factors * body.Factors)
        {
            throw new ArgumentException("The Gram matrix must be factors x factors.", nameof(gram));
        }
        _gram = gram;
        Regularization = regularization;
        Alpha = alpha;
    }

    public static ModelDescriptor Descriptor { get; } = new(
        "als",
        "implicit alternating least squares (Hu, Koren, Volinsky 2008), conjugate-gradient or exact solver",
        BodyVersion,
        () => new AlsOptions(),
        context => AlsTrainer.Train(context),
        Load);

    public override string Kind => "als";

    public float Regularization { get; }

    public float Alpha { get; }

    /// <summary>Y^T Y + reg I of the item factors, row-major factors x factors.</summary>
    public ReadOnlySpan<float> RegularizedGram => _gram;

    /// <summary>
    /// The exact least-squares vector for a user with these interactions against the fixed item factors
    /// (confidence 1 + alpha w, preference 1). Use it for new and anonymous users and to refresh a known user
    /// from their latest history. Items outside the model and non-positive weights are ignored.
    /// </summary>
    public override void FoldIn(ReadOnlySpan<int> items, ReadOnlySpan<float> weights, Span<float> destination)
    {
        var length = AlsSolver.ExactScratch(Factors);
        var scratch = s_matrix;
        if (scratch is null || scratch.Length < length)
        {
            s_matrix = scratch = new float[length];
        }
        AlsSolver.SolveExact(ItemFactors, Factors, _gram, items, weights, Alpha, destination, scratch);
    }

    protected override FactorModel WithBody(FactorModelBody body) => new AlsModel(body, _gram, Regularization, Alpha);

    protected override void SaveExtra(ModelWriter writer)
    {
        writer.Write(Regularization);
        writer.Write(Alpha);
        writer.WriteArray<float>(_gram);
    }

    private static AlsModel Load(ModelReader reader, int bodyVersion)
    {
        var body = ReadBody(reader, bodyVersion, "ALS");
        var regularization = reader.ReadSingle();
        var alpha = reader.ReadSingle();
        var gram = reader.ReadArray<float>();
        if (gram.Length != body.Factors * body.Factors)
        {
            throw new InvalidDataException("Model file is corrupt: the Gram matrix does not match the factor count.");
        }
        return new AlsModel(body, gram, regularization, alpha);
    }
}
