using Fresco.Core.Models;
using Fresco.Models.Factors;

namespace Fresco.Models.LightGcn;

/// <summary>Options of LightGCN (see <see cref="LightGcnTrainer"/>). Not thread-safe (see <see cref="ModelOptions"/>).</summary>
public sealed class LightGcnOptions : ModelOptions
{
    public static IReadOnlyList<string> Losses { get; } = ["bpr", "cosine", "softmax"];
    /// <summary>Length of the user and item embeddings.</summary>
    public int Factors { get; set; } = 64;

    /// <summary>Propagation layers K; the final embedding is the mean of layers 0..K.</summary>
    public int Layers { get; set; } = 3;

    /// <summary>
    /// "bpr": LightGCN's BPR loss, one uniform negative per pair; "cosine": SimpleX's cosine contrastive loss (see
    /// <see cref="CosineContrastiveLoss"/>); "softmax": sampled softmax over cosines (see <see cref="SampledSoftmaxLoss"/>).
    /// </summary>
    public string Loss { get; set; } = "bpr";

    /// <summary>Uniform negatives shared by a batch (losses cosine and softmax).</summary>
    public int Negatives { get; set; } = 256;

    /// <summary>Cosine below which a negative costs nothing (m in SimpleX; loss cosine).</summary>
    public double Margin { get; set; } = 0.9;

    /// <summary>Weight of the negatives' mean hinge against the positive term (w in SimpleX; loss cosine).</summary>
    public double NegativeWeight { get; set; } = 150;

    /// <summary>Temperature t of the softmax over cosines (loss softmax).</summary>
    public double Temperature { get; set; } = 0.1;

    /// <summary>
    /// g of SimpleX's user tower: a user is <c>g e_u + (1 - g) V mean(e_i)</c> over their items (see
    /// <see cref="UserTower"/>); 1 (the default) is the user's own embedding alone. Losses cosine and softmax.
    /// </summary>
    public double UserWeight { get; set; } = 1;

    /// <summary>Dropout rate on the unit user rows in training (losses cosine and softmax).</summary>
    public double Dropout { get; set; }

    /// <summary>Passes over the data; each draws as many observed pairs as there are interactions.</summary>
    public int Epochs { get; set; } = 60;

    /// <summary>Observed pairs per Adam step (one forward and one backward propagation over the whole graph each).</summary>
    public int BatchSize { get; set; } = 8192;

    /// <summary>Adam's step size.</summary>
    public double LearningRate { get; set; } = 0.005;

    /// <summary>L2 penalty on the layer-0 embeddings of the users and items in a batch (lambda in the paper).</summary>
    public double Regularization { get; set; } = 1e-4;

    /// <summary>How the served model scores its item table (see <see cref="ItemQuantization"/>); training is unchanged.</summary>
    public ItemQuantization Quantize { get; set; }

    public override void Validate()
    {
        if (Loss == "bpr" && (UserWeight < 1 || Dropout > 0))
        {
            throw new OptionException("'user_weight' below 1 and 'dropout' need loss=cosine or loss=softmax.");
        }
    }

    protected override IEnumerable<Parameter> DescribeParameters() =>
    [
        Parameter.Integer("factors", "length of the user and item embeddings", () => Factors, v => Factors = v, 1, 1024, SearchRange.Log(16, 128)),
        Parameter.Integer("layers", "propagation layers (final = mean of layers 0..K)", () => Layers, v => Layers = v, 0, 8, SearchRange.Linear(1, 4)),
        Parameter.Choice("loss", "bpr (LightGCN's pairwise loss), cosine (SimpleX's cosine contrastive loss) or softmax (sampled softmax over cosines)", () => Loss, v => Loss = v, Losses),
        Parameter.Integer("negatives", "uniform negatives shared by a batch (losses cosine, softmax)", () => Negatives, v => Negatives = v, 1, 1 << 16),
        Parameter.Real("margin", "cosine below which a negative costs nothing (loss cosine)", () => Margin, v => Margin = v, -1, 0.999),
        Parameter.Real("negative_weight", "weight of the negatives' mean hinge (loss cosine)", () => NegativeWeight, v => NegativeWeight = v, 0, 1e6),
        Parameter.Real("temperature", "temperature of the softmax over cosines (loss softmax)", () => Temperature, v => Temperature = v, 1e-3, 10),
        Parameter.Real("user_weight", "g of SimpleX's user tower g e_u + (1 - g) V mean(e_items); 1: the user embedding alone (losses cosine, softmax)", () => UserWeight, v => UserWeight = v, 0, 1),
        Parameter.Real("dropout", "dropout rate on the unit user rows in training (losses cosine, softmax)", () => Dropout, v => Dropout = v, 0, 0.95),
        Parameter.Integer("epochs", "passes over the data (one observed pair per interaction each)", () => Epochs, v => Epochs = v, 1, 10000, SearchRange.Log(10, 200)),
        Parameter.Integer("batch_size", "observed pairs per Adam step", () => BatchSize, v => BatchSize = v, 1, 1 << 24),
        Parameter.Real("learning_rate", "Adam step size", () => LearningRate, v => LearningRate = v, 1e-6, 1, SearchRange.Log(1e-3, 0.05)),
        Parameter.Real("regularization", "L2 penalty on the batch's layer-0 embeddings", () => Regularization, v => Regularization = v, 0, 10, SearchRange.Log(1e-6, 1e-2)),
        ItemQuantizationParameter.Create(() => Quantize, v => Quantize = v),
    ];
}
