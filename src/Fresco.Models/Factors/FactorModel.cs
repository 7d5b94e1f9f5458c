using System.Numerics.Tensors;
using Fresco.Core.Data;
using Fresco.Core.Linalg;
using Fresco.Core.Linalg.Quantization;
using Fresco.Core.Models;
using Fresco.Core.Serialization;

namespace Fresco.Models.Factors;

/// <summary>
/// The shared base of latent-factor models (ALS, BPR, LightGCN): user and item factors as contiguous row-major
/// <c>float[]</c>, an optional item bias; score = item factors x user vector (+ bias), similarity = cosine of
/// item factors. The item table is scored either exactly, repacked in a <see cref="PanelMatrix"/> for blocked
/// scoring of user batches, or (<see cref="ItemQuantization.Int8"/>) as a <see cref="QuantizedMatrix"/> against the
/// user vector quantized per request. A user the model does not hold is folded in by the subclass from the fp32
/// factors. Immutable and thread-safe; scoring allocates nothing once a thread has warmed its scratch.
/// </summary>
public abstract class FactorModel : IRecommender, IBatchScorer, IQuantizedModel
{
    /// <summary>The body version <see cref="Save"/> writes: 2 added the quantization after the item bias.</summary>
    public const int BodyVersion = 2;

    private const int BatchBlock = 64;

    [ThreadStatic]
    private static float[]? s_vectors;

    private readonly float[] _userFactors;
    private readonly float[] _itemFactors;
    private readonly float[]? _itemBias;
    private readonly float[] _inverseNorms;
    private readonly PanelMatrix? _panels;
    private readonly QuantizedMatrix? _codes;

    /// <param name="body">The factors, options and quantization; the model keeps (does not copy) its arrays.</param>
    /// <param name="itemBias">The per-item bias to serve with (the subclass decides; <c>body.ItemBias</c> is not read).</param>
    protected FactorModel(FactorModelBody body, float[]? itemBias)
    {
        var factors = body.Factors;
        ArgumentOutOfRangeException.ThrowIfLessThan(factors, 1);
        if (body.UserFactors.Length % factors != 0 || body.ItemFactors.Length % factors != 0)
        {
            throw new ArgumentException("Factor arrays are not whole rows of the factor count.");
        }
        Factors = factors;
        UserCount = body.UserFactors.Length / factors;
        ItemCount = body.ItemFactors.Length / factors;
        if (itemBias is not null && itemBias.Length != ItemCount)
        {
            throw new ArgumentException("The item bias needs one value per item.", nameof(itemBias));
        }
        _userFactors = body.UserFactors;
        _itemFactors = body.ItemFactors;
        _itemBias = itemBias;
        Options = body.Options;
        Quantization = body.Quantization;
        if (Quantization == ItemQuantization.Int8)
        {
            _codes = QuantizedMatrix.Quantize(_itemFactors, ItemCount, factors);
        }
        else
        {
            _panels = new PanelMatrix(_itemFactors, ItemCount, factors);
        }
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

    /// <summary>How the item table is scored.</summary>
    public ItemQuantization Quantization { get; }

    public bool IsQuantized => Quantization != ItemQuantization.None;

    /// <summary>Bytes of the item table as scored: the panels (fp32), or the int8 codes, scales and row sums.</summary>
    public long ScoringBytes => _codes?.MemoryBytes ?? (4L * _panels!.PanelCount * PanelMatrix.PanelRows * Factors);

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

    /// <summary>
    /// The same factors served with <paramref name="quantization"/> (this model when it already is); the arrays are
    /// shared, the scoring table is built anew. O(items x factors).
    /// </summary>
    public FactorModel WithQuantization(ItemQuantization quantization)
    {
        if (quantization == Quantization)
        {
            return this;
        }
        var options = new Dictionary<string, string>(Options, StringComparer.Ordinal)
        {
            [ItemQuantizationParameter.Name] = ItemQuantizationParameter.Format(quantization),
        };
        return WithBody(new FactorModelBody(Factors, _userFactors, _itemFactors, _itemBias, options, quantization));
    }

    public IRecommender Exact() => WithQuantization(ItemQuantization.None);

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
        var span = scores[..ItemCount];
        ScoreBlock(userVector, 1, span);
        AddBias(span);
    }

    public bool TryScoreSimilar(int itemIndex, Span<float> scores)
    {
        if ((uint)itemIndex >= (uint)ItemCount)
        {
            return false;
        }
        var span = scores[..ItemCount];
        ScoreBlock(ItemVector(itemIndex), 1, span);
        TensorPrimitives.Multiply(span, _inverseNorms, span);
        TensorPrimitives.Multiply(span, _inverseNorms[itemIndex], span);
        return true;
    }

    /// <summary>
    /// Scores users in blocks of 64 (the panel kernel, or one int8 pass per user); a user index the model does not
    /// hold is folded in from its row of <paramref name="history"/> (or scored as an empty history).
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
            ScoreBlock(vectors, count, block);
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
        writer.Write((int)Quantization);
        SaveExtra(writer);
    }

    /// <summary>
    /// Reads what <see cref="Save"/> wrote before the subclass's own part, in body version 1 (no quantization:
    /// served exactly) or 2; another version throws.
    /// </summary>
    protected static FactorModelBody ReadBody(ModelReader reader, int bodyVersion, string kind)
    {
        if (bodyVersion is < 1 or > BodyVersion)
        {
            throw new InvalidDataException($"{kind} model body version {bodyVersion} is not supported (this build reads 1 to {BodyVersion}).");
        }
        var options = reader.ReadOptions();
        var factors = reader.ReadInt32();
        var users = reader.ReadArray<float>();
        var items = reader.ReadArray<float>();
        var bias = reader.ReadBoolean() ? reader.ReadArray<float>() : null;
        if (factors < 1 || users.Length % factors != 0 || items.Length % factors != 0 || (bias is not null && bias.Length != items.Length / factors))
        {
            throw new InvalidDataException("Model file is corrupt: factor arrays do not match the factor count.");
        }
        var quantization = bodyVersion >= 2 ? (ItemQuantization)reader.ReadInt32() : ItemQuantization.None;
        if (!Enum.IsDefined(quantization))
        {
            throw new InvalidDataException($"Model file is corrupt: unknown item quantization {(int)quantization}.");
        }
        return new FactorModelBody(factors, users, items, bias, options, quantization);
    }

    /// <summary>A model of the same kind and extra state over <paramref name="body"/> (see <see cref="WithQuantization"/>).</summary>
    protected abstract FactorModel WithBody(FactorModelBody body);

    /// <summary>Writes the subclass's own state after the factors.</summary>
    protected virtual void SaveExtra(ModelWriter writer)
    {
    }

    /// <summary>Dot products of <paramref name="count"/> vectors with every item row, row-major into <paramref name="scores"/>.</summary>
    private void ScoreBlock(ReadOnlySpan<float> vectors, int count, Span<float> scores)
    {
        if (_codes is null)
        {
            _panels!.Multiply(vectors, count, scores, ItemCount);
            return;
        }
        // The stride is at most QuantizedMatrix.MaxColumns bytes (1,024 with the options' factor limit).
        Span<byte> query = stackalloc byte[_codes.Stride];
        for (var u = 0; u < count; u++)
        {
            var scale = Int8Quantizer.QuantizeUnsigned(vectors.Slice(u * Factors, Factors), query);
            Int8Kernels.ScoreAll(_codes, query, scale, scores.Slice(u * ItemCount, ItemCount));
        }
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
