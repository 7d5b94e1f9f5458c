using System.Globalization;
using Fresco.Core.Data;
using Fresco.Core.Models;
using Fresco.Engine.Models;
using Fresco.Evaluation.Tuning;
using Fresco.Models;
using Fresco.Models.Popularity;

namespace Fresco.Engine.Training;

/// <summary>
/// One retraining run with a quality gate: hold out one item for a seeded share of the users (<see cref="Holdout"/>),
/// train the candidate on the rest (warm-started from the serving model when it is of the same kind and its ids
/// are a prefix of the current ones, since warm starts copy rows by position), evaluate the candidate and the
/// serving model on the same hold-out (<see cref="HoldoutEvaluator"/>), and propose the candidate to the
/// <see cref="ModelRegistry"/>, which promotes it only if it passes the gate. The candidate must also beat the
/// popularity baseline trained on the same data, scored on the same hold-out; otherwise popularity is proposed in
/// its place. A hold-out of fewer than <see cref="TrainingOptions.MinHoldoutUsers"/> users can tell neither: the
/// candidate is then proposed as it is and the gate promotes it as "untested". With <see cref="TrainingOptions.Auto"/>
/// the kind and options come from a search (<see cref="ModelSelection"/>) or, between searches
/// (<see cref="TrainingOptions.SearchEvery"/>), from the serving model (<see cref="WinnerRetrain"/>).
/// <para>
/// The candidate proposed is the one trained WITHOUT the hold-out: the gate then judges exactly the model it
/// promotes, and a second fit on all data would double the cost for the few interactions held out (about
/// <see cref="TrainingOptions.HoldoutFraction"/> x users). Since the hold-out is the same run after run, those
/// interactions stay out of every model; the engine still excludes them from a user's recommendations as
/// consumed history.
/// </para>
/// Thread-safe: runs may overlap (the registry serializes proposals), but the engine never starts two
/// (<see cref="EngineTrainer"/>). A run is CPU-heavy and synchronous until the proposal: call it off request threads.
/// </summary>
public sealed class ModelTrainer
{
    private readonly ModelRegistry _registry;
    private readonly TrainingOptions _options;
    private readonly TimeProvider _time;
    private const double ValidationFraction = 0.5;
    private const int MaxValidationUsers = 20_000;

    /// <summary>The validation splits beside the search's own that the finalists are scored on (<see cref="ModelSelection.Finalists"/>).</summary>
    private const int ConfirmationSplits = 2;

    /// <summary>
    /// The version metric that counts the runs since the search that chose the model's kind and options (0: this run
    /// searched); stored with the version, so <see cref="TrainingOptions.SearchEvery"/> survives a restart.
    /// </summary>
    public const string RunsSinceSearch = "search.runs_since";

    private readonly int[] _cutOffs;

    public ModelTrainer(ModelRegistry registry, TrainingOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Validate();
        _cutOffs = [.. new[] { 10, HoldoutEvaluator.CutOff(options.GateMetric) }.Distinct()];
        _registry = registry;
        _time = time ?? TimeProvider.System;
    }

    public TrainingOptions Options => _options;

    /// <summary>
    /// Trains, evaluates and proposes a candidate on <paramref name="userItems"/> (users x items; user index i is
    /// <paramref name="userIds"/>[i], item index j is <paramref name="itemIds"/>[j]). See the overload taking a
    /// <see cref="ModelIdSpace"/>.
    /// </summary>
    public Task<TrainingReport> TrainAsync(CsrMatrix userItems, string[] userIds, string[] itemIds, long events,
        ServingModel? serving = null, InteractionTable? sequences = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userItems);
        ArgumentNullException.ThrowIfNull(userIds);
        ArgumentNullException.ThrowIfNull(itemIds);
        return TrainAsync(userItems, ModelIdSpace.Of(userItems, userIds, itemIds), events, serving, sequences, cancellationToken);
    }

    /// <summary>
    /// Trains, evaluates and proposes a candidate on <paramref name="userItems"/>, whose rows and columns
    /// <paramref name="ids"/> names (stored with the candidate). <paramref name="serving"/> is the model served now
    /// (null: the registry's current one). <paramref name="sequences"/>: the events in time order over the same
    /// indices, for models that learn from order (the held-out pairs are dropped from them through the matrix).
    /// Below <see cref="TrainingOptions.MinEvents"/> events nothing is trained and the outcome's version is -1.
    /// Throws on a failed fit or a cancelled run; the serving model is then untouched.
    /// </summary>
    public async Task<TrainingReport> TrainAsync(CsrMatrix userItems, ModelIdSpace ids, long events,
        ServingModel? serving = null, InteractionTable? sequences = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userItems);
        ArgumentNullException.ThrowIfNull(ids);
        var (userIds, itemIds) = (ids.UserIds, ids.ItemIds);
        if (userIds.Count != userItems.Rows || itemIds.Count != userItems.Columns)
        {
            throw new ArgumentException(
                $"{userIds.Count} user ids and {itemIds.Count} item ids do not match a {userItems.Rows} x {userItems.Columns} matrix.");
        }

        var started = _time.GetTimestamp();
        if (events < _options.MinEvents)
        {
            var skipped = new RegistryOutcome(false, -1, $"skipped: {events} events, fewer than {_options.MinEvents}");
            return new TrainingReport(skipped, _options.Model, userItems.Rows, userItems.Columns, events,
                new Dictionary<string, double>(), null, _time.GetElapsedTime(started));
        }

        serving ??= _registry.Current;
        var holdout = Holdout.Create(userItems, userIds, itemIds, _options.HoldoutFraction, _options.Seed);
        var data = new TrainingData(holdout.Train, sequences);
        var (retrain, retrainOptions) = _options.IsAuto ? LastWinner(serving) : (null, null);
        var search = _options.IsAuto && retrain is null ? Select(data, holdout, ids, serving, cancellationToken) : null;
        var kind = search?.Kind ?? retrain?.Kind ?? _options.Model;
        var modelOptions = search?.Options.Clone() ?? retrainOptions ?? _options.CreateModelOptions();
        var warmStart = CanWarmStart(serving, kind, userIds, itemIds) ? serving!.Model : null;
        var candidate = ModelCatalog.Train(kind, new TrainingContext(data, modelOptions, warmStart, null, cancellationToken));
        var tellable = holdout.Users.Length >= _options.MinHoldoutUsers;
        var baseline = tellable && !IsPopularity(candidate.Kind)
            ? PopularityTrainer.Train(new TrainingContext(data, new PopularityOptions(), null, null, cancellationToken))
            : null;

        var scores = HoldoutEvaluator.Evaluate(candidate, baseline, holdout, itemIds, serving, _cutOffs,
            modelOptions.EffectiveThreads, cancellationToken);
        var (proposed, metrics, note) = (candidate, scores.Candidate, "");
        if (baseline is not null && !Beats(scores.Candidate, scores.Baseline!))
        {
            // A model no better than popularity on the same hold-out is useless to the shop: popularity serves instead.
            (proposed, metrics) = (baseline, scores.Baseline!);
            note = string.Create(CultureInfo.InvariantCulture,
                $"{candidate.Kind} {_options.GateMetric} {scores.Candidate[_options.GateMetric]:G6} does not beat popularity {scores.Baseline![_options.GateMetric]:G6} on the hold-out: popularity proposed; ");
        }
        if (search is not null && ReferenceEquals(proposed, candidate))
        {
            metrics = new Dictionary<string, double>(metrics)
            {
                ["search.validation." + _options.GateMetric] = search.Value,
                ["search.candidates"] = search.Candidates.Count,
                ["search.seconds"] = search.Duration.TotalSeconds,
                [RunsSinceSearch] = 0,
            };
        }
        else if (retrain is not null && ReferenceEquals(proposed, candidate))
        {
            metrics = new Dictionary<string, double>(metrics) { [RunsSinceSearch] = retrain.RunsSinceSearch };
        }
        var outcome = await _registry.ProposeAsync(proposed, ids,
            new CandidateReport(metrics, scores.Serving, holdout.Users.Length),
            new QualityGate(_options.GateMetric, _options.GateMargin, _options.MinHoldoutUsers),
            cancellationToken).ConfigureAwait(false);
        return new TrainingReport(outcome with { Reason = note + outcome.Reason }, proposed.Kind, userItems.Rows, userItems.Columns,
            events, metrics, scores.Serving, _time.GetElapsedTime(started), warmStart is not null && ReferenceEquals(proposed, candidate),
            scores.Baseline, search, retrain);
    }

    /// <summary>
    /// The serving model's kind and stored options to train again instead of searching (see
    /// <see cref="TrainingOptions.SearchEvery"/>), or nulls when this run must search: every k-th run, when nothing
    /// serves, and when the serving model is not a search's winner (popularity put in its place, a model trained with
    /// another <see cref="TrainingOptions.Model"/>) or its options no longer parse.
    /// </summary>
    private (WinnerRetrain? Retrain, ModelOptions? Options) LastWinner(ServingModel? serving)
    {
        if (serving is null || !serving.Metrics.TryGetValue(RunsSinceSearch, out var since) || since + 1 >= _options.SearchEvery)
        {
            return (null, null);
        }
        ModelOptions options;
        try
        {
            // The common options (threads, seed) are this server's, not the ones the model was trained with.
            options = ModelCatalog.CreateOptions(serving.Kind,
                [.. serving.Model.Options.Select(o => $"{o.Key}={o.Value}"), .. _options.ModelOptions]);
        }
        catch (Exception e) when (e is OptionException or FormatException)
        {
            return (null, null);
        }
        var runs = (int)since + 1;
        var why = string.Create(CultureInfo.InvariantCulture,
            $"retrained {serving.Kind} with the options stored with version {serving.Version}: run {runs} of {_options.SearchEvery - 1} between searches (Training:SearchEvery {_options.SearchEvery})");
        return (new WinnerRetrain(serving.Kind, options.ToDictionary(), serving.Version, runs, why), options);
    }

    /// <summary>
    /// The kind and options of <see cref="TrainingOptions.Auto"/>: a search scored on validation items carved from the
    /// training part with another seed (the gate's hold-out is never seen), seeded by the serving model's kind and
    /// options; the finalists are scored on <see cref="ConfirmationSplits"/> more such splits, carved with further seeds.
    /// At most about <see cref="MaxValidationUsers"/> users are scored per trial, so each stays cheap.
    /// </summary>
    private SelectionOutcome Select(TrainingData data, Holdout holdout, ModelIdSpace ids, ServingModel? serving,
        CancellationToken cancellationToken)
    {
        var fraction = Math.Min(ValidationFraction, (double)MaxValidationUsers / Math.Max(1, data.UserCount));
        var splits = Enumerable.Range(1, 1 + ConfirmationSplits).Select(s =>
        {
            var carved = Holdout.Create(holdout.Train, ids.UserIds, ids.ItemIds, fraction, _options.Seed + s);
            return new ValidationSplit(new TrainingData(carved.Train, data.Interactions), carved.TestMatrix());
        }).ToArray();
        var settings = new SelectionSettings(_options.SearchModels, _options.GateMetric, _options.SearchBudget, _options.SearchTrials,
            _options.ModelOptions, _options.Seed);
        var previous = serving is null ? null
            : new SelectionCandidate(serving.Kind, serving.Model.Options, new Dictionary<string, double>(), 0);
        return ModelSelection.Run(splits[0].Train, splits[0].Validation, settings, previous, _time, cancellationToken, splits[1..]);
    }

    private bool Beats(Dictionary<string, double> candidate, Dictionary<string, double> baseline) =>
        candidate[_options.GateMetric] > baseline[_options.GateMetric];

    private static bool IsPopularity(string kind) => string.Equals(kind, PopularityModel.Descriptor.Name, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Same kind, and the serving model's users and items are the first of the current ones, in order (a user row the
    /// serving model left free matches any user: it learnt nothing; a row that held a user released since does not, so
    /// a former owner's factors never seed a new owner's).
    /// </summary>
    private static bool CanWarmStart(ServingModel? serving, string kind, IReadOnlyList<string> userIds, IReadOnlyList<string> itemIds) =>
        serving is not null
        && string.Equals(serving.Kind, kind, StringComparison.OrdinalIgnoreCase)
        && IsPrefix(serving.Ids.UserIds, userIds, freeMatches: true)
        && IsPrefix(serving.Ids.ItemIds, itemIds, freeMatches: false);

    private static bool IsPrefix(IReadOnlyList<string> prefix, IReadOnlyList<string> ids, bool freeMatches)
    {
        if (prefix.Count > ids.Count)
        {
            return false;
        }
        for (var i = 0; i < prefix.Count; i++)
        {
            if (!(freeMatches && prefix[i].Length == 0) && !string.Equals(prefix[i], ids[i], StringComparison.Ordinal))
            {
                return false;
            }
        }
        return true;
    }
}
