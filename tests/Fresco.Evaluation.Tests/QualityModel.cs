using Fresco.Core.Models;
using Fresco.Core.Serialization;

namespace Fresco.Evaluation.Tests;

/// <summary>
/// A test model whose one tunable option decides its quality: it scores items by (quality - 0.5) x popularity,
/// so quality above one half ranks by popularity and below it against. Records what it was trained on.
/// Thread-safe (immutable) once trained.
/// </summary>
internal sealed class QualityModel(float[] scores) : IRecommender
{
    public string Kind => "quality";

    public int ItemCount => scores.Length;

    public int UserCount => 0;

    public void Score(UserHistory user, Span<float> destination) => scores.CopyTo(destination);

    public bool TryScoreSimilar(int itemIndex, Span<float> destination) => false;

    public void Save(ModelWriter writer) => throw new NotSupportedException();

    public static IRecommender Train(TrainingContext context, List<TrainingData>? seen = null)
    {
        seen?.Add(context.Data);
        var quality = ((QualityOptions)context.Options).Quality;
        var scores = new float[context.Data.ItemCount];
        foreach (var item in context.Data.UserItems.ColumnIndices)
        {
            scores[item] += (float)(quality - 0.5);
        }
        return new QualityModel(scores);
    }
}

/// <summary>Options of <see cref="QualityModel"/>.</summary>
internal sealed class QualityOptions : ModelOptions
{
    public double Quality { get; set; } = 0.1;

    protected override IEnumerable<Parameter> DescribeParameters() =>
    [
        Parameter.Real("quality", "above 0.5 ranks by popularity", () => Quality, v => Quality = v, 0, 1, SearchRange.Linear(0, 1)),
    ];
}
