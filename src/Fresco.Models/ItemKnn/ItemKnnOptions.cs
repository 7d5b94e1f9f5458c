using Fresco.Core.Models;

namespace Fresco.Models.ItemKnn;

/// <summary>Options of the item-based nearest-neighbour model. Not thread-safe, like every <see cref="ModelOptions"/>.</summary>
public sealed class ItemKnnOptions : ModelOptions
{
    public static readonly IReadOnlyList<string> Weightings = ["none", "bm25", "tfidf"];

    /// <summary>Neighbours kept per item. The default is chosen on validation splits only (bench/defaults.sh, docs/models.md).</summary>
    public int Neighbors { get; set; } = 1000;

    /// <summary>Added to the product of norms: sim = dot / (|a| |b| + shrinkage); damps pairs seen by few users.</summary>
    public double Shrinkage { get; set; } = 200;

    /// <summary>Re-weighting of the users x items matrix before similarities: none, bm25 or tfidf.</summary>
    public string Weighting { get; set; } = "bm25";

    /// <summary>BM25 saturation (implicit's bm25_weight K1).</summary>
    public double Bm25K1 { get; set; } = 100;

    /// <summary>BM25 length normalization (implicit's bm25_weight B).</summary>
    public double Bm25B { get; set; } = 1.0;

    protected override IEnumerable<Parameter> DescribeParameters() =>
    [
        Parameter.Integer("neighbors", "neighbours kept per item", () => Neighbors, v => Neighbors = v, 1, 100000, SearchRange.Log(10, 1000)),
        Parameter.Real("shrinkage", "cosine shrinkage: dot / (|a||b| + shrinkage)", () => Shrinkage, v => Shrinkage = v, 0, 1e6, SearchRange.Linear(0, 1000)),
        Parameter.Choice("weighting", "re-weighting of the interaction matrix before similarities", () => Weighting, v => Weighting = v, Weightings, tunable: true),
        Parameter.Real("bm25_k1", "BM25 K1 (saturation)", () => Bm25K1, v => Bm25K1 = v, 0, 1e6, SearchRange.Log(0.5, 1000)),
        Parameter.Real("bm25_b", "BM25 B (length normalization)", () => Bm25B, v => Bm25B = v, 0, 1, SearchRange.Linear(0, 1)),
    ];
}
