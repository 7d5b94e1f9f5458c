using Fresco.Core.Data;
using Fresco.Core.Serialization;

namespace Fresco.Models.ItemKnn;

/// <summary>
/// A re-weighting of interactions, as in implicit's <c>bm25_weight</c> and <c>tfidf_weight</c>: an item's idf
/// is log(users) - log(1 + its user count); tfidf weighs sqrt(value) * idf; BM25 weighs
/// value (K1 + 1) / (K1 norm + value) * idf with norm = 1 - B + B * row sum / average row sum. Fitted on the
/// training matrix, then applied the same way to it and to any history at request time. Immutable; thread-safe.
/// </summary>
public sealed class InteractionWeighting
{
    private readonly float[] _idf;

    private InteractionWeighting(string kind, double k1, double b, double averageLength, float[] idf)
    {
        Kind = kind;
        K1 = k1;
        B = b;
        AverageLength = averageLength;
        _idf = idf;
    }

    /// <summary>none, bm25 or tfidf.</summary>
    public string Kind { get; }

    public double K1 { get; }

    public double B { get; }

    /// <summary>The mean row sum of the training matrix (BM25's average document length).</summary>
    public double AverageLength { get; }

    public static InteractionWeighting Fit(CsrMatrix userItems, string kind, double k1, double b)
    {
        var counts = userItems.ColumnCounts();
        var idf = new float[counts.Length];
        var logUsers = Math.Log(Math.Max(1, userItems.Rows));
        for (var i = 0; i < idf.Length; i++)
        {
            idf[i] = (float)(logUsers - Math.Log(1 + counts[i]));
        }
        double total = System.Numerics.Tensors.TensorPrimitives.Sum(userItems.Values);
        var average = userItems.Rows > 0 && total > 0 ? total / userItems.Rows : 1.0;
        return new InteractionWeighting(kind, k1, b, average, idf);
    }

    /// <summary>The per-row factor of a history with these values (BM25's length normalization).</summary>
    public float RowFactor(ReadOnlySpan<float> values) => Kind == "bm25"
        ? (float)((1.0 - B) + (B * System.Numerics.Tensors.TensorPrimitives.Sum(values) / AverageLength))
        : 1f;

    /// <summary>The weight of <paramref name="value"/> on <paramref name="itemIndex"/> in a row with <paramref name="rowFactor"/>.</summary>
    public float Weigh(int itemIndex, float value, float rowFactor) => Kind switch
    {
        "bm25" => (float)(value * (K1 + 1.0) / ((K1 * rowFactor) + value)) * Idf(itemIndex),
        "tfidf" => MathF.Sqrt(Math.Max(0f, value)) * Idf(itemIndex),
        _ => value,
    };

    /// <summary>The weighted copy of a users x items matrix (the same matrix when the kind is none).</summary>
    public CsrMatrix Apply(CsrMatrix userItems)
    {
        if (Kind == "none")
        {
            return userItems;
        }
        var values = new float[userItems.Values.Length];
        var pointers = userItems.RowPointers;
        var columns = userItems.ColumnIndices;
        for (var u = 0; u < userItems.Rows; u++)
        {
            var factor = RowFactor(userItems.RowValues(u));
            for (var p = (int)pointers[u]; p < pointers[u + 1]; p++)
            {
                values[p] = Weigh(columns[p], userItems.Values[p], factor);
            }
        }
        return new CsrMatrix(userItems.Rows, userItems.Columns, pointers.ToArray(), columns.ToArray(), values);
    }

    public void Save(ModelWriter writer)
    {
        writer.Write(Kind);
        writer.Write(K1);
        writer.Write(B);
        writer.Write(AverageLength);
        writer.WriteArray<float>(_idf);
    }

    public static InteractionWeighting Load(ModelReader reader) =>
        new(reader.ReadString(), reader.ReadDouble(), reader.ReadDouble(), reader.ReadDouble(), reader.ReadArray<float>());

    private float Idf(int itemIndex) => (uint)itemIndex < (uint)_idf.Length ? _idf[itemIndex] : 0f;
}
