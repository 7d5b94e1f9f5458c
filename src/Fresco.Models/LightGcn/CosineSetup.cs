using Fresco.Core.Data;

namespace Fresco.Models.LightGcn;

/// <summary>
/// What a <see cref="CosineLoss"/> draws and computes over: the observed pairs, the batch, the shared negatives, the
/// embedding width, the GEMM threads, and optionally SimpleX's user tower and a dropout rate on the user rows.
/// Immutable.
/// </summary>
internal sealed record CosineSetup(CsrMatrix UserItems, int BatchSize, int Negatives, int Dim, int Threads)
{
    /// <summary>When set, a user's row is the tower's mix of their embedding and their items' (see <see cref="UserTower"/>).</summary>
    public UserTower? Tower { get; init; }

    /// <summary>Share of each unit user row's coordinates zeroed in training (the rest scaled by 1 / (1 - rate)).</summary>
    public float Dropout { get; init; }
}
