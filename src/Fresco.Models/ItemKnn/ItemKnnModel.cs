using Fresco.Core.Data;
using Fresco.Core.Models;
using Fresco.Core.Serialization;

namespace Fresco.Models.ItemKnn;

/// <summary>
/// Item-based nearest neighbours: a sparse item x item matrix S holding each item's best neighbours with their
/// similarity; a user's score for item j is the sum over history items i of weight_i * S[i, j]. Immutable and
/// thread-safe.
/// </summary>
public sealed class ItemKnnModel : IRecommender
{
    public ItemKnnModel(CsrMatrix similarities, InteractionWeighting weighting, IReadOnlyDictionary<string, string> options)
    {
        if (similarities.Rows != similarities.Columns)
        {
            throw new ArgumentException("The similarity matrix must be items x items.", nameof(similarities));
        }
        Similarities = similarities;
        Weighting = weighting;
        Options = options;
    }

    public static ModelDescriptor Descriptor { get; } = new(
        "itemknn",
        "item-based nearest neighbours: shrunk cosine on (bm25/tfidf-weighted) interactions",
        1,
        () => new ItemKnnOptions(),
        context => ItemKnnTrainer.Train(context),
        Load);

    public string Kind => "itemknn";

    public int ItemCount => Similarities.Rows;

    public int UserCount => 0;

    public IReadOnlyDictionary<string, string> Options { get; }

    /// <summary>Row i: item i's neighbours (ascending item index) and their similarities.</summary>
    public CsrMatrix Similarities { get; }

    /// <summary>How a history is weighted before scoring: the same way as the training matrix.</summary>
    public InteractionWeighting Weighting { get; }

    public void Score(UserHistory user, Span<float> scores)
    {
        scores[..ItemCount].Clear();
        var items = user.Items;
        var weights = user.Weights;
        var rowFactor = Weighting.RowFactor(weights);
        for (var h = 0; h < items.Length; h++)
        {
            if ((uint)items[h] >= (uint)ItemCount)
            {
                continue;
            }
            var weight = Weighting.Weigh(items[h], weights[h], rowFactor);
            var columns = Similarities.RowIndices(items[h]);
            var values = Similarities.RowValues(items[h]);
            for (var p = 0; p < columns.Length; p++)
            {
                scores[columns[p]] += weight * values[p];
            }
        }
    }

    public bool TryScoreSimilar(int itemIndex, Span<float> scores)
    {
        if ((uint)itemIndex >= (uint)ItemCount)
        {
            return false;
        }
        scores[..ItemCount].Clear();
        var columns = Similarities.RowIndices(itemIndex);
        var values = Similarities.RowValues(itemIndex);
        for (var p = 0; p < columns.Length; p++)
        {
            scores[columns[p]] = values[p];
        }
        return true;
    }

    public void Save(ModelWriter writer)
    {
        writer.WriteOptions(Options);
        writer.Write(ItemCount);
        Weighting.Save(writer);
        writer.WriteArray(Similarities.RowPointers);
        writer.WriteArray(Similarities.ColumnIndices);
        writer.WriteArray(Similarities.Values);
    }

    private static ItemKnnModel Load(ModelReader reader, int bodyVersion)
    {
        if (bodyVersion != 1)
        {
            throw new InvalidDataException($"ItemKNN model body version {bodyVersion} is not supported.");
        }
        var options = reader.ReadOptions();
        var items = reader.ReadInt32();
        var weighting = InteractionWeighting.Load(reader);
        var pointers = reader.ReadArray<long>();
        var columns = reader.ReadArray<int>();
        var values = reader.ReadArray<float>();
        try
        {
            return new ItemKnnModel(new CsrMatrix(items, items, pointers, columns, values), weighting, options);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException("ItemKNN model file is corrupt: " + e.Message, e);
        }
    }
}
