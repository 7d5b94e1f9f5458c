using Fresco.Core.Linalg;

namespace Fresco.Models.Transformer;

/// <summary>Encodes many users' sequences at once with the batched (training) forward pass, dropout off. Thread-safe (static) over distinct planners.</summary>
internal static class BatchEncoding
{
    /// <summary>
    /// Writes, for each of <paramref name="users"/> (at most a batch), the final hidden state after the latest
    /// events of its sequence with the last <paramref name="dropLast"/> events left out, into
    /// <paramref name="vectors"/> (users x dimension).
    /// </summary>
    public static void EncodeLast(
        BatchPlanner planner, UserSequences sequences, ReadOnlySpan<int> users, int dropLast, Span<float> vectors, int threads)
    {
        var longest = 1;
        foreach (var user in users)
        {
            longest = Math.Max(longest, Window(sequences, user, dropLast, planner.MaxLength).Length);
        }
        var batch = planner.Workspace(longest);
        for (var i = 0; i < users.Length; i++)
        {
            batch.SetSequence(i, Window(sequences, users[i], dropLast, batch.Length), []);
        }
        batch.ClearFrom(users.Length);
        batch.Forward(0f, 0, threads);
        var d = vectors.Length / Math.Max(1, users.Length);
        for (var i = 0; i < users.Length; i++)
        {
            batch.Output.AsSpan(((i * batch.Length) + batch.Length - 1) * d, d).CopyTo(vectors.Slice(i * d, d));
        }
    }

    /// <summary><c>scores = vectors x items^T</c> (users x items).</summary>
    public static void Score(ReadOnlySpan<float> vectors, int users, ReadOnlySpan<float> itemTable, int items, int dimension, Span<float> scores, int threads) =>
        Gemm.Multiply(false, true, users, items, dimension, 1f, vectors, dimension, itemTable, dimension, 0f, scores, items, threads);

    private static ReadOnlySpan<int> Window(UserSequences sequences, int user, int dropLast, int length)
    {
        var sequence = sequences.Sequence(user);
        sequence = sequence[..Math.Max(0, sequence.Length - dropLast)];
        return sequence[Math.Max(0, sequence.Length - length)..];
    }
}
