using System.Globalization;
using Fresco.Core.Data;
using Fresco.Core.Models;

namespace Fresco.Models.Tests.Transformer;

/// <summary>Small sequence data sets for the transformer tests, built as raw events in time order.</summary>
internal static class SequenceData
{
    /// <summary>Options that train fast on tiny data.</summary>
    public static IReadOnlyList<string> TinyOptions { get; } =
    [
        "dimension=16", "blocks=1", "heads=2", "feed_forward=32", "max_length=4", "dropout=0.2", "batch_size=4",
        "learning_rate=0.01", "warmup_steps=5", "epochs=150", "evaluate_every=10", "patience=0",
    ];

    /// <summary>One user per sequence; item ids are their indices (item i is the i-th item created).</summary>
    public static TrainingData FromSequences(IReadOnlyList<int[]> sequences, int items)
    {
        var table = new InteractionTable();
        for (var i = 0; i < items; i++)
        {
            table.Items.GetOrAdd(i.ToString(CultureInfo.InvariantCulture));
        }
        for (var u = 0; u < sequences.Count; u++)
        {
            foreach (var item in sequences[u])
            {
                table.Add(u.ToString(CultureInfo.InvariantCulture), item.ToString(CultureInfo.InvariantCulture), "view");
            }
        }
        return new TrainingData(EventWeights.Uniform.BuildMatrix(table), table);
    }

    /// <summary>Users walk a scrambled cycle over the items from random starts; returns the data and the cycle.</summary>
    public static (TrainingData Data, int[] Cycle) Cycle(int items, int users, int length, int seed)
    {
        var random = new Random(seed);
        var cycle = Enumerable.Range(0, items).ToArray();
        random.Shuffle(cycle);
        var sequences = new List<int[]>();
        for (var u = 0; u < users; u++)
        {
            var start = random.Next(items);
            sequences.Add([.. Enumerable.Range(0, length).Select(i => cycle[(start + i) % items])]);
        }
        return (FromSequences(sequences, items), cycle);
    }
}
