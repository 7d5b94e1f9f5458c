using Fresco.Core.Models;

namespace Fresco.Models.Transformer;

/// <summary>
/// Options of the SASRec-style transformer (see <see cref="TransformerTrainer"/>). Defaults are the usual
/// cross-entropy SASRec settings for sparse Amazon-like data, checked on the validation item of amazon-beauty.
/// Not thread-safe (see <see cref="ModelOptions"/>).
/// </summary>
public sealed class TransformerOptions : ModelOptions
{
    public static IReadOnlyList<string> Losses { get; } = ["full", "sampled"];

    public static IReadOnlyList<string> Quantizations { get; } = ["none", "int8"];

    /// <summary>Width of the item and position embeddings and of every block.</summary>
    public int Dimension { get; set; } = 64;

    /// <summary>Number of causal self-attention blocks.</summary>
    public int Blocks { get; set; } = 2;

    /// <summary>Attention heads per block (must divide <see cref="Dimension"/>).</summary>
    public int Heads { get; set; } = 1;

    /// <summary>Width of each block's feed-forward layer.</summary>
    public int FeedForward { get; set; } = 64;

    /// <summary>Only the latest this-many events of a history are encoded.</summary>
    public int MaxLength { get; set; } = 50;

    /// <summary>Dropout rate on the input embeddings and on every residual branch.</summary>
    public double Dropout { get; set; } = 0.5;

    public double LearningRate { get; set; } = 2e-3;

    /// <summary>Decoupled AdamW weight decay.</summary>
    public double WeightDecay { get; set; } = 0.0;

    /// <summary>Linear learning-rate warm-up over this many optimizer steps.</summary>
    public int WarmupSteps { get; set; } = 100;

    /// <summary>Sequences per optimizer step.</summary>
    public int BatchSize { get; set; } = 128;

    /// <summary>Upper bound on passes over the training sequences.</summary>
    public int Epochs { get; set; } = 200;

    /// <summary>Validate (NDCG@10 on each user's held-out last training item) every this-many epochs.</summary>
    public int EvaluateEvery { get; set; } = 2;

    /// <summary>Stop after this many validations without a better NDCG@10; 0 never stops early.</summary>
    public int Patience { get; set; } = 4;

    /// <summary>Stop after the first validation past this many minutes of training (keeping the best epoch); 0: no limit.</summary>
    public double MaxMinutes { get; set; }

    /// <summary>"full": softmax over every item; "sampled": softmax over sampled negatives with log-Q correction.</summary>
    public string Loss { get; set; } = "full";

    /// <summary>Negatives shared by a batch with the sampled loss (popularity-sampled).</summary>
    public int Negatives { get; set; } = 1024;

    /// <summary>"int8": quantize the item table and weight matrices after training and score with int8 kernels.</summary>
    public string Quantize { get; set; } = "none";

    /// <summary>
    /// Structured pruning after training: the share of every block's feed-forward units and attention columns
    /// removed (by magnitude, see <see cref="StructuredPruning"/>); 0 keeps the network whole.
    /// </summary>
    public double Prune { get; set; }

    /// <summary>Epochs of fine-tuning after pruning (early-stopped on the same validation item; 0: none).</summary>
    public int PruneEpochs { get; set; }

    public override void Validate()
    {
        if (Dimension % Heads != 0)
        {
            throw new OptionException($"'dimension' ({Dimension}) must be a multiple of 'heads' ({Heads}).");
        }
    }

    protected override IEnumerable<Parameter> DescribeParameters() =>
    [
        Parameter.Integer("dimension", "width of embeddings and blocks", () => Dimension, v => Dimension = v, 4, 1024, SearchRange.Log(32, 128)),
        Parameter.Integer("blocks", "causal self-attention blocks", () => Blocks, v => Blocks = v, 1, 16, SearchRange.Linear(1, 3)),
        Parameter.Integer("heads", "attention heads per block (divides dimension)", () => Heads, v => Heads = v, 1, 64),
        Parameter.Integer("feed_forward", "width of each block's feed-forward layer", () => FeedForward, v => FeedForward = v, 1, 8192),
        Parameter.Integer("max_length", "latest events encoded per history", () => MaxLength, v => MaxLength = v, 2, 1024),
        Parameter.Real("dropout", "dropout on input embeddings and residual branches", () => Dropout, v => Dropout = v, 0, 0.95, SearchRange.Linear(0.1, 0.6)),
        Parameter.Real("learning_rate", "AdamW learning rate", () => LearningRate, v => LearningRate = v, 1e-6, 1, SearchRange.Log(3e-4, 3e-3)),
        Parameter.Real("weight_decay", "decoupled AdamW weight decay", () => WeightDecay, v => WeightDecay = v, 0, 10),
        Parameter.Integer("warmup_steps", "linear learning-rate warm-up steps", () => WarmupSteps, v => WarmupSteps = v, 0, 1_000_000),
        Parameter.Integer("batch_size", "sequences per optimizer step", () => BatchSize, v => BatchSize = v, 1, 65536),
        Parameter.Integer("epochs", "maximum passes over the sequences", () => Epochs, v => Epochs = v, 1, 100_000),
        Parameter.Integer("evaluate_every", "epochs between validations", () => EvaluateEvery, v => EvaluateEvery = v, 1, 1000),
        Parameter.Integer("patience", "validations without improvement before stopping (0: never)", () => Patience, v => Patience = v, 0, 1000),
        Parameter.Real("max_minutes", "training time budget in minutes, checked at each validation (0: none)", () => MaxMinutes, v => MaxMinutes = v, 0, 1e6),
        Parameter.Choice("loss", "full (softmax over all items) or sampled (log-Q corrected sampled softmax)", () => Loss, v => Loss = v, Losses),
        Parameter.Integer("negatives", "negatives per batch for the sampled loss", () => Negatives, v => Negatives = v, 1, 1_000_000),
        Parameter.Real("prune", "share of feed-forward units and attention columns pruned after training (0: none)", () => Prune, v => Prune = v, 0, 0.9),
        Parameter.Integer("prune_epochs", "fine-tuning epochs after pruning", () => PruneEpochs, v => PruneEpochs = v, 0, 1000),
        Parameter.Choice("quantize", "none or int8 (item table and weights, scored with int8 kernels)", () => Quantize, v => Quantize = v, Quantizations),
    ];
}
