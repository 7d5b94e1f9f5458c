namespace Fresco.Engine.Training;

/// <summary>
/// A run of <c>Training:Model = auto</c> that did not search (see <see cref="TrainingOptions.SearchEvery"/>): it trained
/// the serving model's kind again with the options stored with it (<paramref name="FromVersion"/>), the
/// <paramref name="RunsSinceSearch"/>-th such run since the search that chose them. Immutable value.
/// </summary>
public sealed record WinnerRetrain(
    string Kind,
    IReadOnlyDictionary<string, string> Options,
    long FromVersion,
    int RunsSinceSearch,
    string Why);
