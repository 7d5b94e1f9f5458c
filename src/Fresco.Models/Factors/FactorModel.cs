using System.Numerics.Tensors;
using Fresco.Core.Data;
using Fresco.Core.Linalg;
using Fresco.Core.Models;
using Fresco.Core.Serialization;

namespace Fresco.Models.Factors;

/// <summary>
/// The shared base of latent-factor models (ALS, BPR): user and item factors as contiguous row-major
/// <c>float[]</c>, an optional item bias; score = item factors x user vector (+ bias), similarity = cosine of
/// item factors. Item factors are also kept repacked in a <see cref="PanelMatrix"/> for blocked scoring of
/// user batches. A user the model does not hold is folded in by the subclass. Immutable and thread-safe;
/// scoring allocates nothing once a thread has warmed its scratch.
/// </summary>
public abstract class FactorModel : IRecommender, IBatchScorer
{
    private const int BatchBlock = 64;

    [ThreadStatic]
    private static float[]? s_vectors;

    private readonly float[] _userFactors;
    private readonly float[] _itemFactors;
    private readonly float[]? _itemBias;
    private readonly float[] _inverseNorms;
    private readonly PanelMatrix _panels;

    protected FactorModel(int factors, float[] userFactors, float[] itemFactors, float[]? itemBias, IReadOnlyDictionary<string, string> options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(factors, 1);
        if (userFactors.Length % factors != 0 || itemFactors.Length % factors != 0)
        {
            throw new ArgumentException("Factor arrays are not whole rows of the factor count.");
        }
        Factors = factors;
        UserCount = userFactors.Length / factors;
        ItemCount = itemFactors.Length / factors;
        if (itemBias is not null && itemBias.Length != ItemCount)
        {
            throw new ArgumentException("The item bias needs one value per item.", nameof(itemBias));
        }
        _userFactors = userFactors;
        _itemFactors = itemFactors;
        _itemBias = itemBias;
        Options = options;
        _panels = new PanelMatrix(itemFactors, ItemCount, factors);
        _inverseNorms = new float[ItemCount];
        for (var i = 0; i < ItemCount; i++)
        {
            var norm = TensorPrimitives.Norm(ItemVector(i));
            _inverseNorms[i] = norm > 0f ? 1f / norm : 0f;
        }
    }

    public abstract string Kind { get; }

    public int Factors { get; }

    public int UserCount { get; }

    public int ItemCount { get; }

    public IReadOnlyDictionary<string, string> Options { get; }

    public ReadOnlySpan<float> UserFactors => _userFactors;

    public ReadOnlySpan<float> ItemFactors => _itemFactors;

    /// <summary>The per-item bias added to every score, or empty when the model has none.</summary>
    public ReadOnlySpan<float> ItemBias => _itemBias;

    public ReadOnlySpan<float> UserVector(int userIndex) => _userFactors.AsSpan(userIndex * Factors, Factors);

    public ReadOnlySpan<float> ItemVector(int itemIndex) => _itemFactors.AsSpan(itemIndex * Factors, Factors);

    /// <summary>
    /// Writes the vector of a user known only by their history (new, anonymous, or a known user whose history
    /// changed since training) into <paramref name="destination"/> (length <see cref="Factors"/>); item factors
    /// stay fixed. Items outside the model are ignored. Must not allocate once the thread is warm.
    /// </summary>
    public abstract void FoldIn(ReadOnlySpan<int> items, ReadOnlySpan<float> weights, Span<float> destination);

    public void Score(UserHistory user, Span<float> scores)
    {
        if ((uint)user.UserIndex < (uint)UserCount)
        {
            ScoreVector(UserVector(user.UserIndex), scores);
            return;
        }
        var vector = Factors <= 256 ? stackalloc float[Factors] : Scratch(Factors).AsSpan(0, Factors);
        FoldIn(user.Items, user.Weights, vector);
        ScoreVector(vector, scores);
    }

    /// <summary>Scores every item against an explicit user vector (length <see cref="Factors"/>).</summary>
    public void ScoreVector(ReadOnlySpan<float> userVector, Span<float> scores)
    {
        _panels.Multiply(userVector, 1, scores, ItemCount);
        AddBias(scores[..ItemCount]);
    }

    public bool TryScoreSimilar(int itemIndex, Span<float> scores)
    {
        if ((uint)itemIndex >= (uint)ItemCount)
        {
            return false;
        }
        var span = scores[..ItemCount];
        _panels.Multiply(ItemVector(itemIndex), 1, span, ItemCount);
        TensorPrimitives.Multiply(span, _inverseNorms, span);
        TensorPrimitives.Multiply(span, _inverseNorms[itemIndex], span);
        return true;
    }

    /// <summary>
    /// Scores users in blocks of 64 with the panel kernel; a user index the model does not hold is folded in
    /// from its row of <paramref name="history"/> (or scored as an empty history).
    /// </summary>
    public void ScoreBatch(ReadOnlySpan<int> userIndices, CsrMatrix history, Span<float> scores)
    {
        if (scores.Length < (long)userIndices.Length * ItemCount)
        {
            throw new ArgumentException("Scores are shorter than users x items.", nameof(scores));
        }
        var vectors = Scratch(BatchBlock * Factors);
        for (var start = 0; start < userIndices.Length; start += BatchBlock)
        {
            var count = Math.Min(BatchBlock, userIndices.Length - start);
            for (var u = 0; u < count; u++)
            {
                var user = userIndices[start + u];
                var destination = vectors.AsSpan(u * Factors, Factors);
                if ((uint)user < (uint)UserCount)
                {
                    UserVector(user).CopyTo(destination);
                }
                else if ((uint)user < (uint)history.Rows)
                {
                    FoldIn(history.RowIndices(user), history.RowValues(user), destination);
                }
                else
                {
                    FoldIn([], [], destination);
                }
            }
            var block = scores.Slice(start * ItemCount, count * ItemCount);
            _panels.Multiply(vectors, count, block, ItemCount);
            for (var u = 0; u < count; u++)
            {
                AddBias(block.Slice(u * ItemCount, ItemCount));
            }
        }
    }

    public void Save(ModelWriter writer)
    {
        writer.WriteOptions(Options);
        writer.Write(Factors);
        writer.WriteArray<float>(_userFactors);
        writer.WriteArray<float>(_itemFactors);
        writer.Write(_itemBias is not null);
        if (_itemBias is not null)
        {
            writer.WriteArray<float>(_itemBias);
        }
        SaveExtra(writer);
    }

    /// <summary>Reads what <see cref="Save"/> wrote before the subclass's own part.</summary>
    protected static FactorModelBody ReadBody(ModelReader reader)
    {
        var options = reader.ReadOptions();
        var factors = reader.ReadInt32();
        var users = reader.ReadArray<float>();
        var items = reader.ReadArray<float>();
        var bias = reader.ReadBoolean() ? reader.ReadArray<float>() : null;
        if (factors < 1 || users.Length % factors != 0 || items.Length % factors != 0 || (bias is not null && bias.Length != items.Length / factors))
        {
            throw new InvalidDataException("Model file is corrupt: factor arrays do not match the factor count.");
        }
        return new FactorModelBody(factors, users, items, bias, options);
    }

    /// <summary>Writes the subclass's own state after the factors.</summary>
    protected virtual void SaveExtra(ModelWriter writer)
    {
    }

    private void AddBias(Span<float> scores)
    {
        if (_itemBias is not null)
        {
            TensorPrimitives.Add(scores, _itemBias, scores);
        }
    }

    private static float[] Scratch(int length)
    {
        var scratch = s_vectors;
        if (scratch is null || scratch.Length < length)
        {
            s_vectors = scratch = new float[Math.Max(length, BatchBlock * 64)];
        }
        return scratch;
    }
}
