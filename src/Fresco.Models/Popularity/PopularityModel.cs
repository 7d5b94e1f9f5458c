using Fresco.Core.Models;
using Fresco.Core.Serialization;

namespace Fresco.Models.Popularity;

/// <summary>
/// Scores every item by how popular it is: the same list for every user (filter it by category for a
/// per-category list). Immutable and thread-safe.
/// </summary>
public sealed class PopularityModel : IRecommender
{
    private readonly float[] _scores;

    public PopularityModel(float[] scores, IReadOnlyDictionary<string, string> options)
    {
        _scores = scores;
        Options = options;
    }

    public static ModelDescriptor Descriptor { get; } = new(
        "popularity",
        "most popular items, all-time or time-decayed (trending)",
        1,
        () => new PopularityOptions(),
        context => PopularityTrainer.Train(context),
        Load);

    public string Kind => "popularity";

    public int ItemCount => _scores.Length;

    public int UserCount => 0;

    public IReadOnlyDictionary<string, string> Options { get; }

    public ReadOnlySpan<float> Scores => _scores;

    public void Score(UserHistory user, Span<float> scores) => _scores.CopyTo(scores);

    public bool TryScoreSimilar(int itemIndex, Span<float> scores) => false;

    public void Save(ModelWriter writer)
    {
        writer.WriteOptions(Options);
        writer.WriteArray<float>(_scores);
    }

    private static PopularityModel Load(ModelReader reader, int bodyVersion)
    {
        if (bodyVersion != 1)
        {
            throw new InvalidDataException($"Popularity model body version {bodyVersion} is not supported.");
        }
        var options = reader.ReadOptions();
        return new PopularityModel(reader.ReadArray<float>(), options);
    }
}
