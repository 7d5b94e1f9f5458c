using Fresco.Core.Models;

namespace Fresco.Models.Transformer;

/// <summary>
/// NDCG@10 of the next-item prediction on each user's last training event, held out from training: the rest of
/// the sequence is encoded, every item is ranked, the earlier items masked (as leave-last-out evaluation does).
/// Not thread-safe.
/// </summary>
internal sealed class SequenceValidator
{
    private const int K = 10;

    private readonly BatchPlanner _planner;
    private readonly UserSequences _sequences;
    private readonly TransformerNetwork _network;
    private readonly List<int[]> _batches;
    private readonly float[] _vectors;
    private readonly float[] _scores;

    public SequenceValidator(BatchPlanner planner, UserSequences sequences, TransformerNetwork network, int[] users)
    {
        _planner = planner;
        _sequences = sequences;
        _network = network;
        Users = users.Length;
        var lengths = users.Select(u => sequences.Sequence(u).Length).ToArray();
        _batches = [.. planner.Plan(lengths, null).Select(batch => batch.Select(i => users[i]).ToArray())];
        _vectors = new float[planner.BatchSize * network.Dimension];
        _scores = new float[planner.BatchSize * network.Items];
    }

    public int Users { get; }

    public double Ndcg(int threads)
    {
        if (Users == 0)
        {
            return 0;
        }
        int d = _network.Dimension, items = _network.Items;
        double total = 0;
        foreach (var batch in _batches)
        {
            BatchEncoding.EncodeLast(_planner, _sequences, batch, 1, _vectors, threads);
            BatchEncoding.Score(_vectors, batch.Length, _network.ItemTable.Value, items, d, _scores, threads);
            for (var i = 0; i < batch.Length; i++)
            {
                var sequence = _sequences.Sequence(batch[i]);
                var row = _scores.AsSpan(i * items, items);
                var target = row[sequence[^1]];
                Recommender.Mask(row, sequence[..^1]);
                row[sequence[^1]] = target;
                var rank = 0;
                foreach (var score in row)
                {
                    rank += score > target ? 1 : 0;
                }
                total += rank < K ? 1.0 / Math.Log2(rank + 2) : 0;
            }
        }
        return total / Users;
    }
}
