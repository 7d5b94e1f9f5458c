using Fresco.Core.Models;
using Fresco.Models.Factors;

namespace Fresco.Models.Als;

/// <summary>Options of implicit ALS (see <see cref="AlsTrainer"/>). Not thread-safe (see <see cref="ModelOptions"/>).</summary>
public sealed class AlsOptions : ModelOptions
{
    public static IReadOnlyList<string> Solvers { get; } = ["cg", "cholesky"];

    /// <summary>
    /// Length of the user and item vectors. The default is chosen on validation splits only (bench/defaults.sh,
    /// docs/models.md); a user or item row costs 4 x factors bytes.
    /// </summary>
    public int Factors { get; set; } = 128;

    /// <summary>Full sweeps (users, then items).</summary>
    public int Iterations { get; set; } = 15;

    /// <summary>L2 penalty on every vector (lambda in the paper).</summary>
    public double Regularization { get; set; } = 40;

    /// <summary>Confidence slope: an interaction of weight w has confidence 1 + alpha w.</summary>
    public double Alpha { get; set; } = 4;

    /// <summary>"cg": a few conjugate-gradient steps per row (fast); "cholesky": the exact solve.</summary>
    public string Solver { get; set; } = "cg";

    /// <summary>Conjugate-gradient steps per row and iteration (solver cg).</summary>
    public int CgSteps { get; set; } = 3;

    /// <summary>How the served model scores its item table (see <see cref="ItemQuantization"/>); training is unchanged.</summary>
    public ItemQuantization Quantize { get; set; }

    public override void Validate()
    {
        if (!(Regularization > 0))
        {
            throw new OptionException("'regularization' must be greater than 0 so that every normal equation is solvable.");
        }
    }

    protected override IEnumerable<Parameter> DescribeParameters() =>
    [
        Parameter.Integer("factors", "length of the user and item vectors", () => Factors, v => Factors = v, 1, 1024, SearchRange.Log(16, 256)),
        Parameter.Integer("iterations", "alternating sweeps over users and items", () => Iterations, v => Iterations = v, 1, 1000, SearchRange.Linear(5, 30)),
        Parameter.Real("regularization", "L2 penalty on every vector", () => Regularization, v => Regularization = v, 0, 1e6, SearchRange.Log(0.1, 1000)),
        Parameter.Real("alpha", "confidence slope: confidence = 1 + alpha * weight", () => Alpha, v => Alpha = v, 0, 1e6, SearchRange.Log(0.1, 100)),
        Parameter.Choice("solver", "cg (conjugate gradient, fast) or cholesky (exact)", () => Solver, v => Solver = v, Solvers),
        Parameter.Integer("cg_steps", "conjugate-gradient steps per row and iteration", () => CgSteps, v => CgSteps = v, 1, 100),
        ItemQuantizationParameter.Create(() => Quantize, v => Quantize = v),
    ];
}
