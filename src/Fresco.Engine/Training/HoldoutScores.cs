namespace Fresco.Engine.Training;

/// <summary>
/// The metrics of one hold-out evaluation (lower-case names, see <see cref="HoldoutEvaluator"/>): the candidate's, the
/// serving model's (null when nothing is served) and the popularity baseline's (null when not evaluated). Immutable.
/// </summary>
internal sealed record HoldoutScores(
    Dictionary<string, double> Candidate,
    Dictionary<string, double>? Serving,
    Dictionary<string, double>? Baseline);
