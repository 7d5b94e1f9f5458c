using Fresco.Core.Models;
using Fresco.Models;

namespace Fresco.Engine.Training;

/// <summary>Settings of background retraining. Mutable until the engine starts, which validates it.</summary>
public sealed class TrainingOptions
{
    /// <summary>The model kind to train (a <c>ModelCatalog</c> name: als, bpr, itemknn, ease, popularity, ...).</summary>
    public string Model { get; set; } = "als";

    /// <summary>Model options as <c>name=value</c> assignments (the CLI's <c>--set</c>).</summary>
    public List<string> ModelOptions { get; set; } = [];

    private Core.Models.ModelOptions? _parsed;

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
    public Core.Models.ModelOptions CreateModelOptions() =>
        (_parsed ?? throw new InvalidOperationException("TrainingOptions.Validate must run before the model options are read.")).Clone();

    /// <summary>Throws <see cref="ArgumentException"/> when a setting is out of range; parses the model options once.</summary>
    public TrainingOptions Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(Model, "Training:Model");
        ArgumentNullException.ThrowIfNull(ModelOptions, "Training:ModelOptions");
        ArgumentException.ThrowIfNullOrEmpty(GateMetric, "Training:GateMetric");
        if (!ModelCatalog.All.Any(m => string.Equals(m.Name, Model, StringComparison.OrdinalIgnoreCase)))
        {
            throw new ArgumentException(
                $"Training:Model '{Model}' is not a known model; known: {string.Join(", ", ModelCatalog.All.Select(m => m.Name))}.");
        }
        try
        {
            _parsed = ModelCatalog.CreateOptions(Model, ModelOptions);
        }
        catch (Exception e) when (e is FormatException or OptionException)
        {
            throw new ArgumentException($"Training:ModelOptions: {e.Message}", e);
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
        return this;
    }
}
