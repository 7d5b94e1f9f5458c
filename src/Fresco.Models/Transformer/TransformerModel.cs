using System.Globalization;
using Fresco.Core.Models;
using Fresco.Core.Serialization;

namespace Fresco.Models.Transformer;

/// <summary>
/// SASRec-style next-item model: a user's latest events, in time order, go through causal self-attention blocks
/// and the output is dotted with every item embedding. A known user is encoded from the time-ordered sequence
/// kept from training (a matrix row is in item order, not time order); an anonymous history is taken in the
/// given order, oldest first. Serving uses a per-thread <see cref="TransformerState"/>, so a warmed
/// <see cref="Score"/> does not allocate. Immutable and thread-safe.
/// </summary>
public sealed class TransformerModel : IRecommender, IQuantizedModel
{
    [ThreadStatic]
    private static TransformerState? s_state;

    private readonly TransformerNetwork _network;
    private readonly UserSequences _sequences;

    internal TransformerModel(TransformerNetwork network, UserSequences sequences, IReadOnlyDictionary<string, string> options, bool int8, TransformerFit? fit)
    {
        _network = network;
        _sequences = sequences;
        Options = options;
        Fit = fit;
        Encoder = new TransformerEncoder(network, int8);
    }

    public static ModelDescriptor Descriptor { get; } = new(
        "transformer",
        "SASRec: causal self-attention over each user's latest events, next-item cross-entropy (Kang and McAuley 2018)",
        2,
        () => new TransformerOptions(),
        context => TransformerTrainer.Train(context),
        Load,
        UsesEventOrder: true);

    public string Kind => "transformer";

    public int ItemCount => _network.Items;

    public int UserCount => _sequences.Users;

    public IReadOnlyDictionary<string, string> Options { get; }

    /// <summary>How training went; null for a loaded model.</summary>
    public TransformerFit? Fit { get; }

    /// <summary>The encoder that serves this model (fp32 or int8); use it directly for incremental encoding.</summary>
    public TransformerEncoder Encoder { get; }

    /// <summary>The same weights and sequences served in fp32 or int8 (the item table and weights are quantized anew).</summary>
    public TransformerModel WithQuantization(bool int8)
    {
        var options = new Dictionary<string, string>(Options, StringComparer.Ordinal) { ["quantize"] = int8 ? "int8" : "none" };
        return new TransformerModel(_network, _sequences, options, int8, Fit);
    }

    /// <summary>
    /// This model with every block pruned by <paramref name="options"/>' <see cref="TransformerOptions.Prune"/> share
    /// (see <see cref="StructuredPruning"/>) and fine-tuned for its <see cref="TransformerOptions.PruneEpochs"/>
    /// on the kept training sequences; served fp32 or int8 as this one. This model is not changed.
    /// </summary>
    public TransformerModel WithPruning(TransformerOptions options, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var (network, fineTune) = TransformerTrainer.Prune(_network, _sequences, options, progress, cancellationToken);
        var described = new Dictionary<string, string>(Options, StringComparer.Ordinal)
        {
            ["prune"] = options.Prune.ToString(CultureInfo.InvariantCulture),
            ["prune_epochs"] = options.PruneEpochs.ToString(CultureInfo.InvariantCulture),
        };
        return new TransformerModel(network, _sequences, described, IsQuantized, fineTune ?? Fit);
    }

    /// <summary>Floats in the network's weights (item table, positions, blocks, final norm).</summary>
    public long ParameterCount => _network.ParameterCount;

    /// <summary>
    /// NDCG@10 on each known user's last training event, the rest of the sequence encoded in fp32 (the validation
    /// that training early-stops on; never the test item).
    /// </summary>
    public double ValidationNdcg(int threads)
    {
        var validator = new SequenceValidator(
            new BatchPlanner(_network, 128), _sequences, _network,
            [.. Enumerable.Range(0, UserCount).Where(u => _sequences.Sequence(u).Length >= 3)]);
        return validator.Ndcg(threads);
    }

    public bool IsQuantized => Encoder.IsInt8;

    public IRecommender Exact() => IsQuantized ? WithQuantization(false) : this;

    /// <summary>The time-ordered training sequence of a known user (empty for an unknown index).</summary>
    public ReadOnlySpan<int> Sequence(int userIndex) => _sequences.Sequence(userIndex);

    public void Score(UserHistory user, Span<float> scores)
    {
        var state = s_state;
        if (state is null || !Encoder.Fits(state))
        {
            s_state = state = Encoder.CreateState();
        }
        var sequence = (uint)user.UserIndex < (uint)UserCount ? _sequences.Sequence(user.UserIndex) : user.Items;
        Encoder.Encode(state, sequence);
        Encoder.Score(state, scores);
    }

    /// <summary>Item-to-item similarity: the dot product of the item embeddings.</summary>
    public bool TryScoreSimilar(int itemIndex, Span<float> scores)
    {
        if ((uint)itemIndex >= (uint)ItemCount)
        {
            return false;
        }
        var d = _network.Dimension;
        var table = _network.ItemTable.Value.AsSpan();
        var query = table.Slice(itemIndex * d, d);
        for (var i = 0; i < ItemCount; i++)
        {
            scores[i] = System.Numerics.Tensors.TensorPrimitives.CosineSimilarity(query, table.Slice(i * d, d));
        }
        return true;
    }

    public void Save(ModelWriter writer)
    {
        writer.WriteOptions(Options);
        var blocks = _network.Blocks;
        writer.Write(_network.Items);
        writer.Write(_network.Dimension);
        writer.Write(blocks.Length);
        writer.Write(blocks[0].Heads);
        writer.Write(blocks[0].HiddenSize);
        writer.Write(blocks[0].AttentionWidth);
        writer.Write(_network.MaxLength);
        writer.Write(Encoder.IsInt8);
        writer.WriteArray<long>(_sequences.Offsets);
        writer.WriteArray<int>(_sequences.Items);
        _network.Save(writer);
    }

    private static TransformerModel Load(ModelReader reader, int bodyVersion)
    {
        if (bodyVersion is not (1 or 2))
        {
            throw new InvalidDataException($"Transformer model body version {bodyVersion} is not supported.");
        }
        var options = reader.ReadOptions();
        int items = reader.ReadInt32(), dimension = reader.ReadInt32(), blocks = reader.ReadInt32();
        int heads = reader.ReadInt32(), feedForward = reader.ReadInt32();
        // Version 2 added the attention width (narrower than the dimension after pruning).
        var attention = bodyVersion >= 2 ? reader.ReadInt32() : dimension;
        var maxLength = reader.ReadInt32();
        var int8 = reader.ReadBoolean();
        if (items < 0 || dimension < 1 || blocks < 1 || heads < 1 || dimension % heads != 0 || feedForward < 1 || maxLength < 1
            || attention < heads || attention > dimension || attention % heads != 0)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"Transformer model file is corrupt: shape {items} items, {dimension} x {blocks} blocks, {heads} heads."));
        }
        var offsets = reader.ReadArray<long>();
        var sequenceItems = reader.ReadArray<int>();
        if (offsets.Length == 0 || offsets[^1] != sequenceItems.Length || sequenceItems.Any(i => (uint)i >= (uint)items))
        {
            throw new InvalidDataException("Transformer model file is corrupt: the user sequences do not match the catalog.");
        }
        var network = new TransformerNetwork(items, dimension, blocks, heads, feedForward, maxLength, seed: 0, attention);
        network.Load(reader);
        return new TransformerModel(network, new UserSequences(offsets, sequenceItems), options, int8, fit: null);
    }
}
