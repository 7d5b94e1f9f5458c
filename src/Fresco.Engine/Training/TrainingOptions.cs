using Fresco.Core.Models;
using Fresco.Evaluation.Tuning;
using Fresco.Models;

namespace Fresco.Engine.Training;

/// <summary>Settings of background retraining. Mutable until the engine starts, which validates it.</summary>
public sealed class TrainingOptions
{
    /// <summary>The name of <see cref="Model"/> that searches the kinds of <see cref="SearchModels"/> (every <see cref="SearchEvery"/>-th run).</summary>
    public const string Auto = "auto";

    /// <summary>
    /// The model kind to train (a <c>ModelCatalog</c> name: als, bpr, itemknn, ease, popularity, lightgcn, ...), or
    /// <see cref="Auto"/>: a run picks the kind and options that score best on a validation split carved from the
    /// training part (see <see cref="SearchModels"/>, <see cref="SearchBudget"/>, <see cref="SearchTrials"/>), or
    /// between searches trains the last winner again (<see cref="SearchEvery"/>).
    /// </summary>
    public string Model { get; set; } = Auto;

    /// <summary>
    /// Model options as <c>name=value</c> assignments (the CLI's <c>--set</c>). With <see cref="Auto"/> they apply to
    /// every kind searched, so only options every kind has (threads, seed) are allowed.
    /// </summary>
    public List<string> ModelOptions { get; set; } = [];

    /// <summary>The kinds <see cref="Auto"/> tries, cheapest first (kinds that cannot fit the data are skipped).</summary>
    public List<string> SearchModels { get; set; } = [.. ModelSelection.DefaultKinds];

    /// <summary>
    /// With <see cref="Auto"/>, search on every k-th run only: in between, a run trains the serving model's kind again with
    /// the options stored with it (warm-started where the kind supports it), and the next search's first trial of that
    /// kind uses them. The count since the last search is stored with each model version, so it survives a restart.
    /// 1: every run searches.
    /// </summary>
    public int SearchEvery { get; set; } = 6;

    /// <summary>Wall-clock budget of one <see cref="Auto"/> search; a trial still running when it ends is cancelled.</summary>
    public TimeSpan SearchBudget { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The most trials of one <see cref="Auto"/> search: one per kind, then a search of every kind's options, the best
    /// first, the rest shared evenly (36: with the seven default kinds, about four more each).
    /// </summary>
    public int SearchTrials { get; set; } = 36;

    private Core.Models.ModelOptions? _parsed;
    private bool _validated;

    /// <summary>Whether <see cref="Model"/> is <see cref="Auto"/>.</summary>
    public bool IsAuto => string.Equals(Model, Auto, StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether a run may train a kind that learns from the order of events (the loop then passes them).</summary>
    public bool UsesEventOrder => IsAuto
        ? SearchModels.Any(m => ModelCatalog.Get(m).UsesEventOrder)
        : ModelCatalog.Get(Model).UsesEventOrder;

    /// <summary>Retrain at this interval (zero: never on a schedule).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Retrain after this many new events (0: never on a count).</summary>
    public long AfterEvents { get; set; } = 100_000;

    /// <summary>
    /// The shortest time between two runs started by the schedule (<see cref="Interval"/> or <see cref="AfterEvents"/>):
    /// under a burst of events a count trigger would otherwise retrain back to back and take the cores ingestion and
    /// serving need. The first model and runs asked for by API are not held back.
    /// </summary>
    public TimeSpan MinInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>No training below this many events in total.</summary>
    public long MinEvents { get; set; } = 100;

    /// <summary>
    /// Fraction of the users (with at least two items) who have one item held out to evaluate candidates. The
    /// live matrix has no order, so the item is a seeded choice, not the newest; the same users and items are
    /// held out in every run (see <see cref="Seed"/>).
    /// </summary>
    public double HoldoutFraction { get; set; } = 0.1;

    /// <summary>
    /// A hold-out of fewer users cannot tell two models apart: the candidate is then promoted as "untested" (it is the
    /// newer model) without the comparisons with the serving model and the popularity baseline (0: no minimum).
    /// </summary>
    public int MinHoldoutUsers { get; set; } = 50;

    /// <summary>Seed of the hold-out choice: a fixed seed holds out the same interactions in every run.</summary>
    public int Seed { get; set; } = 1234;

    /// <summary>The metric the quality gate compares (higher is better), e.g. ndcg@10.</summary>
    public string GateMetric { get; set; } = "ndcg@10";

    /// <summary>How much worse (relative) than the serving model a candidate may be and still be promoted.</summary>
    public double GateMargin { get; set; } = 0.05;

    /// <summary>Stored model versions kept (the serving one always is).</summary>
    public int KeepVersions { get; set; } = 5;

    /// <summary>
    /// A fresh copy of <see cref="Model"/>'s options with <see cref="ModelOptions"/> applied, as parsed and validated by
    /// <see cref="Validate"/> (each run gets its own copy: trainers may adjust theirs).
    /// </summary>
    /// <remarks>With <see cref="Auto"/>, name the kind: a fresh copy of its options with <see cref="ModelOptions"/> applied.</remarks>
    public Core.Models.ModelOptions CreateModelOptions(string? kind = null)
    {
        if (!_validated)
        {
            throw new InvalidOperationException("TrainingOptions.Validate must run before the model options are read.");
        }
        if (kind is not null && (IsAuto || !string.Equals(kind, Model, StringComparison.OrdinalIgnoreCase)))
        {
            return ModelCatalog.CreateOptions(kind, ModelOptions);
        }
        return IsAuto
            ? throw new InvalidOperationException($"With Training:Model {Auto}, name the kind whose options to create.")
            : _parsed!.Clone();
    }

    /// <summary>Throws <see cref="ArgumentException"/> when a setting is out of range; parses the model options once.</summary>
    public TrainingOptions Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(Model, "Training:Model");
        ArgumentNullException.ThrowIfNull(ModelOptions, "Training:ModelOptions");
        ArgumentException.ThrowIfNullOrEmpty(GateMetric, "Training:GateMetric");
        ArgumentNullException.ThrowIfNull(SearchModels, "Training:SearchModels");
        var kinds = IsAuto ? SearchModels : [Model];
        if (kinds.Count == 0)
        {
            throw new ArgumentException("Training:SearchModels must name at least one model kind.");
        }
        foreach (var kind in kinds)
        {
            if (!ModelCatalog.All.Any(m => string.Equals(m.Name, kind, StringComparison.OrdinalIgnoreCase)))
            {
                throw new ArgumentException(
                    $"Training:{(IsAuto ? "SearchModels" : "Model")} '{kind}' is not a known model; known: {Auto}, {string.Join(", ", ModelCatalog.All.Select(m => m.Name))}.");
            }
            try
            {
                _parsed = ModelCatalog.CreateOptions(kind, ModelOptions);
            }
            catch (Exception e) when (e is FormatException or OptionException)
            {
                throw new ArgumentException($"Training:ModelOptions: {e.Message}{(IsAuto ? $" (with {Auto}, they apply to every kind searched; {kind} rejects them)" : "")}", e);
            }
        }
        if (SearchBudget <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException("Training:SearchBudget", SearchBudget, "Must be positive.");
        }
        if (SearchEvery < 1)
        {
            throw new ArgumentOutOfRangeException("Training:SearchEvery", SearchEvery, "Must be at least 1.");
        }
        if (SearchTrials < 1)
        {
            throw new ArgumentOutOfRangeException("Training:SearchTrials", SearchTrials, "Must be at least 1.");
        }
        if (Interval < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException("Training:Interval", Interval, "Must not be negative.");
        }
        if (MinInterval < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException("Training:MinInterval", MinInterval, "Must not be negative.");
        }
        if (AfterEvents < 0 || MinEvents < 0)
        {
            throw new ArgumentOutOfRangeException("Training:AfterEvents", AfterEvents, "Event counts must not be negative.");
        }
        if (!(HoldoutFraction is > 0 and < 1))
        {
            throw new ArgumentOutOfRangeException("Training:HoldoutFraction", HoldoutFraction, "Must be within (0, 1).");
        }
        if (MinHoldoutUsers < 0)
        {
            throw new ArgumentOutOfRangeException("Training:MinHoldoutUsers", MinHoldoutUsers, "Must not be negative.");
        }
        if (!(GateMargin is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException("Training:GateMargin", GateMargin, "Must be within [0, 1].");
        }
        if (KeepVersions < 1)
        {
            throw new ArgumentOutOfRangeException("Training:KeepVersions", KeepVersions, "Must be at least 1.");
        }
        _validated = true;
        return this;
    }
}
