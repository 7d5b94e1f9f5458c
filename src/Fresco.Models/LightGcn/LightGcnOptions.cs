using Fresco.Core.Models;
using Fresco.Models.Factors;

namespace Fresco.Models.LightGcn;

/// <summary>Options of LightGCN (see <see cref="LightGcnTrainer"/>). Not thread-safe (see <see cref="ModelOptions"/>).</summary>
public sealed class LightGcnOptions : ModelOptions
{
    /// <summary>Length of the user and item embeddings.</summary>
    public int Factors { get; set; } = 64;

    /// <summary>Propagation layers K; the final embedding is the mean of layers 0..K.</summary>
    public int Layers { get; set; } = 3;

    /// <summary>Passes over the data; each draws as many (user, positive, negative) triples as there are interactions.</summary>
    public int Epochs { get; set; } = 60;

    /// <summary>Triples per Adam step (one forward and one backward propagation over the whole graph each).</summary>
    public int BatchSize { get; set; } = 8192;

    /// <summary>Adam's step size.</summary>
    public double LearningRate { get; set; } = 0.005;

    /// <summary>L2 penalty on the layer-0 embeddings of the users and items in a batch (lambda in the paper).</summary>
    public double Regularization { get; set; } = 1e-4;

    /// <summary>How the served model scores its item table (see <see cref="ItemQuantization"/>); training is unchanged.</summary>
    public ItemQuantization Quantize { get; set; }

    protected override IEnumerable<Parameter> DescribeParameters() =>
    [
        Parameter.Integer("factors", "length of the user and item embeddings", () => Factors, v => Factors = v, 1, 1024, SearchRange.Log(16, 128)),
        Parameter.Integer("layers", "propagation layers (final = mean of layers 0..K)", () => Layers, v => Layers = v, 0, 8, SearchRange.Linear(1, 4)),
        Parameter.Integer("epochs", "passes over the data (one triple per interaction each)", () => Epochs, v => Epochs = v, 1, 10000, SearchRange.Log(10, 200)),
        Parameter.Integer("batch_size", "triples per Adam step", () => BatchSize, v => BatchSize = v, 1, 1 << 24),
        Parameter.Real("learning_rate", "Adam step size", () => LearningRate, v => LearningRate = v, 1e-6, 1, SearchRange.Log(1e-3, 0.05)),
        Parameter.Real("regularization", "L2 penalty on the batch's layer-0 embeddings", () => Regularization, v => Regularization = v, 0, 10, SearchRange.Log(1e-6, 1e-2)),
        ItemQuantizationParameter.Create(() => Quantize, v => Quantize = v),
    ];
}
