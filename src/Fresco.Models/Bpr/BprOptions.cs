using Fresco.Core.Models;
using Fresco.Models.Factors;

namespace Fresco.Models.Bpr;

/// <summary>Options of BPR (see <see cref="BprTrainer"/>). Not thread-safe (see <see cref="ModelOptions"/>).</summary>
public sealed class BprOptions : ModelOptions
{
    /// <summary>Length of the user and item vectors (the item bias comes on top).</summary>
    public int Factors { get; set; } = 64;

    /// <summary>Passes over the data; each draws as many (user, positive, negative) triples as there are interactions.</summary>
    public int Epochs { get; set; } = 200;

    /// <summary>
    /// The first epoch's SGD step size; it falls linearly to 0 by the last epoch. The default is chosen on validation
    /// splits only (bench/defaults.sh, docs/models.md).
    /// </summary>
    public double LearningRate { get; set; } = 0.08;

    /// <summary>L2 penalty on the vectors and biases touched by a step.</summary>
    public double Regularization { get; set; } = 0.01;

    /// <summary>How the served model scores its item table (see <see cref="ItemQuantization"/>); training is unchanged.</summary>
    public ItemQuantization Quantize { get; set; }

    protected override IEnumerable<Parameter> DescribeParameters() =>
    [
        Parameter.Integer("factors", "length of the user and item vectors", () => Factors, v => Factors = v, 1, 1024, SearchRange.Log(16, 256)),
        Parameter.Integer("epochs", "passes over the data (one sample per interaction each)", () => Epochs, v => Epochs = v, 1, 100000, SearchRange.Log(10, 300)),
        Parameter.Real("learning_rate", "initial SGD step size (falls linearly to 0)", () => LearningRate, v => LearningRate = v, 1e-6, 10, SearchRange.Log(1e-3, 0.3)),
        Parameter.Real("regularization", "L2 penalty on vectors and biases", () => Regularization, v => Regularization = v, 0, 100, SearchRange.Log(1e-4, 1)),
        ItemQuantizationParameter.Create(() => Quantize, v => Quantize = v),
    ];
}
