using Fresco.Core.Models;

namespace Fresco.Models.Ease;

/// <summary>Options of EASE (Steck 2019, "Embarrassingly Shallow Autoencoders for Sparse Data"). Not thread-safe, like every <see cref="ModelOptions"/>.</summary>
public sealed class EaseOptions : ModelOptions
{
    /// <summary>The .NET array limit: an items x items float matrix must fit in one array.</summary>
    public const int ItemLimit = 46340;

    /// <summary>L2 regularization added to the diagonal of the Gram matrix X^T X; 0 derives it with <see cref="LambdaScale"/>.</summary>
    public double Lambda { get; set; }

    /// <summary>
    /// When <see cref="Lambda"/> is 0, lambda = this x the mean squared row norm of the active users (their number of
    /// interactions for 0/1 data), so that one scale fits data sets of different densities. The default is chosen on
    /// validation splits only (bench/defaults.sh, docs/models.md).
    /// </summary>
    public double LambdaScale { get; set; } = 11;

    /// <summary>
    /// Dropout rate p of the denoising variant (EDLAE, Steck 2020): the diagonal also gets p / (1 - p) times the
    /// item's own Gram entry, a penalty proportional to popularity. 0 is plain EASE. The default is chosen on
    /// validation splits only (bench/defaults.sh, docs/models.md).
    /// </summary>
    public double Dropout { get; set; } = 0.25;

    /// <summary>
    /// Each user's row is scaled by (row length)^-exponent before the Gram matrix, so that heavy users weigh less
    /// in the item-item statistics (scores are unchanged by a per-user scale). 0 is plain EASE.
    /// </summary>
    public double UserExponent { get; set; } = 0.15;

    /// <summary>Refuse catalogs above this size: training needs 2 x items^2 floats, the model items^2.</summary>
    public int MaxItems { get; set; } = 40000;

    protected override IEnumerable<Parameter> DescribeParameters() =>
    [
        Parameter.Real("lambda", "L2 regularization on the diagonal of X^T X; 0: derived with lambda_scale", () => Lambda, v => Lambda = v, 0, 1e9),
        Parameter.Real("lambda_scale", "lambda as a multiple of the mean squared user row norm (interactions per user for 0/1 data) when lambda is 0", () => LambdaScale, v => LambdaScale = v, 1e-6, 1e6, SearchRange.Log(0.5, 50)),
        Parameter.Real("dropout", "EDLAE dropout rate: adds p/(1-p) x diag(X^T X) to the diagonal; 0: plain EASE", () => Dropout, v => Dropout = v, 0, 0.95, SearchRange.Linear(0, 0.7)),
        Parameter.Real("user_exponent", "scale each user's row by length^-exponent before X^T X; 0: plain EASE", () => UserExponent, v => UserExponent = v, 0, 2, SearchRange.Linear(0, 0.5)),
        Parameter.Integer("max_items", $"refuse catalogs with more items (memory: 8 x items^2 bytes to train; at most {ItemLimit})", () => MaxItems, v => MaxItems = v, 1, ItemLimit),
    ];
}
