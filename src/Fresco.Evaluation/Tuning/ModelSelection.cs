using System.Diagnostics;
using System.Globalization;
using Fresco.Core.Data;
using Fresco.Core.Models;
using Fresco.Evaluation.Metrics;
using Fresco.Models;
using Fresco.Models.Ease;

namespace Fresco.Evaluation.Tuning;

/// <summary>
/// Picks a model kind and its options for one data set within a wall-clock budget, scoring every candidate on a
/// validation split the caller carved from its training data (full ranking, the user's training items masked).
/// First every kind that fits the data once, with its defaults (or, for the kind that won last time, the options it
/// won with), cheapest first as given; then the rest goes to a Tree-structured Parzen search
/// (<see cref="HyperParameterSearch"/>) of every kind that trained, the best first, the trials left shared evenly:
/// a kind whose defaults rank it low on this data still gets its options searched (on small generated shops the
/// kind that wins once tuned was often third or fourth with its defaults), and when the budget ends first, the kinds
/// that looked best got theirs. A trial still
/// running when the budget ends is cancelled and recorded as over budget, so the search stays inside its budget plus
/// one cancellation; only the first trial (put the cheapest kind first) always completes, so there is a winner.
/// Last, when the caller gives more validation splits, the <see cref="Finalists"/> best kinds' best options are scored
/// on each of them too and the best mean over all the splits wins: one split of a small shop, and one training run of
/// a model whose result varies with its seed (LightGCN on a few thousand users: by about 12%), can rank a kind first by luck,
/// and the best of many trials on one split is the likeliest to be lucky.
/// Kinds that cannot fit the data (EASE beyond its item limit; sequential models unless the events are ordered and at
/// least <see cref="SequenceUsers"/> users have <see cref="SequenceLength"/> or more of them) are listed as skipped.
/// Thread-safe (static); trials run one after the other, each on the options' threads.
/// </summary>
public static class ModelSelection
{
    /// <summary>The option of a model that stops training at a time limit (minutes; 0: none), keeping its best epoch.</summary>
    private const string TimeLimit = "max_minutes";

    /// <summary>A sequential model is tried only when this many users have at least <see cref="SequenceLength"/> ordered events.</summary>
    public const int SequenceUsers = 200;

    /// <summary>The shortest history that counts towards <see cref="SequenceUsers"/> (the transformer validates on the last item of histories of 3 or more).</summary>
    public const int SequenceLength = 5;

    /// <summary>The kinds searched by default, cheapest first (the transformer last: it is the slowest to train).</summary>
    public static IReadOnlyList<string> DefaultKinds { get; } = ["popularity", "itemknn", "ease", "als", "bpr", "lightgcn", "transformer"];

    /// <summary>The kinds whose best options are scored again on the confirmation splits.</summary>
    public const int Finalists = 2;

    /// <param name="train">What every candidate trains on.</param>
    /// <param name="validation">Users x items of the validation items (same shape as the training matrix).</param>
    /// <param name="previous">The last winner (kind and options), whose options seed its kind's first trial; may be null.</param>
    /// <param name="confirmations">
    /// More validation splits (independent of <paramref name="validation"/>) that the finalists are scored on within the
    /// budget, outside <see cref="SelectionSettings.MaxTrials"/>; none: the best on <paramref name="validation"/> wins.
    /// </param>
    public static SelectionOutcome Run(TrainingData train, CsrMatrix validation, SelectionSettings settings,
        SelectionCandidate? previous = null, TimeProvider? time = null, CancellationToken cancellationToken = default,
        IReadOnlyList<ValidationSplit>? confirmations = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(validation);
        ArgumentNullException.ThrowIfNull(settings);
        time ??= TimeProvider.System;
        var started = time.GetTimestamp();
        var run = new Trials(new ValidationSplit(train, validation), settings, time, started, cancellationToken);

        var firsts = new List<(string Kind, ModelOptions Options, double Value)>();
        foreach (var kind in settings.Kinds)
        {
            var options = ModelCatalog.CreateOptions(kind, settings.CommonOptions);
            if (WhyNot(kind, options, train) is { } why)
            {
                run.Skip(kind, options, why);
                continue;
            }
            if (previous is not null && string.Equals(previous.Kind, kind, StringComparison.OrdinalIgnoreCase))
            {
                Seed(options, previous.Options, settings.CommonOptions);
            }
            if (run.Count > 0 && (run.Left <= TimeSpan.Zero || run.Count >= settings.MaxTrials))
            {
                run.Skip(kind, options, "skipped: the search budget was spent");
                continue;
            }
            if (run.TryScore(kind, options) is { } value)
            {
                firsts.Add((kind, options, value));
            }
        }
        if (firsts.Count == 0)
        {
            throw new InvalidOperationException(
                $"No candidate could be trained: {string.Join("; ", run.Candidates.Select(c => $"{c.Kind}: {c.Error}"))}.");
        }

        var searched = firsts.OrderByDescending(f => f.Value).ToArray();
        for (var s = 0; s < searched.Length && run.Left > TimeSpan.Zero && run.Count < settings.MaxTrials; s++)
        {
            // The trials left are shared evenly between the kinds still to search (trial 1 repeats the known options).
            var (kind, options, _) = searched[s];
            var share = (settings.MaxTrials - run.Count) / (searched.Length - s);
            var limit = run.Count + share;
            HyperParameterSearch.Run(options, "tpe", share + 1, settings.Seed, o => run.Score(kind, o), settings.Metric,
                cancellationToken: cancellationToken, keepGoing: () => run.Left > TimeSpan.Zero && run.Count < limit);
        }
        return run.Outcome(confirmations ?? []);
    }

    /// <summary>Why a kind cannot be trained on this data, or null when it can.</summary>
    private static string? WhyNot(string kind, ModelOptions options, TrainingData train)
    {
        if (options is EaseOptions ease && train.ItemCount > ease.MaxItems)
        {
            return string.Create(CultureInfo.InvariantCulture, $"skipped: {train.ItemCount} items exceed ease max_items={ease.MaxItems}");
        }
        if (ModelCatalog.Get(kind).UsesEventOrder)
        {
            if (train.Interactions is null)
            {
                return "skipped: learns from event order, and the events are not ordered";
            }
            var users = 0;
            for (var u = 0; u < train.UserCount && users < SequenceUsers; u++)
            {
                users += train.UserItems.RowLength(u) >= SequenceLength ? 1 : 0;
            }
            if (users < SequenceUsers)
            {
                return string.Create(CultureInfo.InvariantCulture,
                    $"skipped: learns from event order, and only {users} users have {SequenceLength} or more ordered events (at least {SequenceUsers} needed)");
            }
        }
        return null;
    }

    /// <summary>The previous winner's options, where they still name this kind's options (common options win).</summary>
    private static void Seed(ModelOptions options, IReadOnlyDictionary<string, string> previous, IReadOnlyList<string> common)
    {
        foreach (var (name, value) in previous)
        {
            if (options.Parameters.Any(p => p.Name == name) && !common.Any(c => c.StartsWith(name + "=", StringComparison.Ordinal)))
            {
                try
                {
                    options.Set(name, value);
                }
                catch (OptionException)
                {
                    // An option whose range changed since the last run keeps its default.
                }
            }
        }
    }

    /// <summary>The trials of one selection: scoring within the budget, the record of every candidate, the winner.</summary>
    private sealed class Trials(ValidationSplit split, SelectionSettings settings, TimeProvider time, long started,
        CancellationToken cancellationToken)
    {
        private readonly List<SelectionCandidate> _candidates = [];
        private readonly Dictionary<string, double> _seen = new(StringComparer.Ordinal);
        private readonly int _k = CutOff(settings.Metric);

        /// <summary>Every kind's best options on the search's split, in the order the kinds first scored.</summary>
        private readonly Dictionary<string, (ModelOptions Options, double Value)> _best = new(StringComparer.OrdinalIgnoreCase);

        public IReadOnlyList<SelectionCandidate> Candidates => _candidates;

        /// <summary>Trials trained so far (skipped kinds and repeats do not count).</summary>
        public int Count { get; private set; }

        public TimeSpan Left => settings.Budget - time.GetElapsedTime(started);

        public void Skip(string kind, ModelOptions options, string why) =>
            _candidates.Add(new SelectionCandidate(kind, options.ToDictionary(), new Dictionary<string, double>(), 0, why));

        /// <summary>The validation value, or null when the trial failed or ran over the budget (recorded either way).</summary>
        public double? TryScore(string kind, ModelOptions options)
        {
            try
            {
                return Score(kind, options);
            }
            catch (Exception e) when (e is TimeoutException or InvalidOperationException or ArgumentException or OptionException)
            {
                return null;
            }
        }

        /// <summary>Trains and scores; throws <see cref="TimeoutException"/> when the budget ended during the trial.</summary>
        public double Score(string kind, ModelOptions options)
        {
            var key = kind + " " + string.Join(' ', options.ToDictionary().Select(o => $"{o.Key}={o.Value}"));
            if (_seen.TryGetValue(key, out var known))
            {
                return known;
            }
            var clock = Stopwatch.StartNew();
            LimitTime(options);
            var withinBudget = Count > 0;
            Count++;
            var metrics = Fit(kind, options, split, clock, withinBudget);
            var value = Value(metrics);
            _candidates.Add(new SelectionCandidate(kind, options.ToDictionary(), metrics, clock.Elapsed.TotalSeconds));
            _seen[key] = value;
            if (!_best.TryGetValue(kind, out var best) || value > best.Value)
            {
                _best[kind] = (options.Clone(), value);
            }
            return value;
        }

        /// <summary>
        /// Trains on <paramref name="on"/>'s training part and scores its validation items; throws
        /// <see cref="TimeoutException"/> when the budget ended during the trial (only <paramref name="withinBudget"/>:
        /// the first trial always completes, so there is a model to propose whatever the budget).
        /// </summary>
        private IReadOnlyDictionary<string, double> Fit(string kind, ModelOptions options, ValidationSplit on, Stopwatch clock, bool withinBudget)
        {
            using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (withinBudget)
            {
                budget.CancelAfter(Left > TimeSpan.Zero ? Left : TimeSpan.FromMilliseconds(1));
            }
            try
            {
                var model = ModelCatalog.Train(kind, new TrainingContext(on.Train, options, null, null, budget.Token));
                return RankingEvaluator.Evaluate(model, on.Train.UserItems, on.Validation, [_k], options.EffectiveThreads, budget.Token).Metrics;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                Record(kind, options, clock, "over budget: cancelled when the search budget ended");
                throw new TimeoutException("The search budget ended during the trial.");
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException or OptionException or OutOfMemoryException)
            {
                Record(kind, options, clock, "failed: " + e.Message);
                throw;
            }
        }

        /// <summary>
        /// A kind that can stop itself at a time limit and keep its best epoch so far (the transformer's
        /// <see cref="TimeLimit"/>, when not set) gets half of the budget left: cancelled at the deadline it would
        /// have nothing to show, and the kinds searched after it would get nothing.
        /// </summary>
        private void LimitTime(ModelOptions options)
        {
            if (Count > 0 && options.Parameters.FirstOrDefault(p => p.Name == TimeLimit) is { } limit
                && double.Parse(limit.Value, CultureInfo.InvariantCulture) == 0 && Left > TimeSpan.Zero)
            {
                limit.Set((Left.TotalMinutes / 2).ToString("R", CultureInfo.InvariantCulture));
            }
        }

        public SelectionOutcome Outcome(IReadOnlyList<ValidationSplit> confirmations)
        {
            var finalists = _best.OrderByDescending(b => b.Value.Value).Take(Finalists)
                .Select(b => new Finalist(b.Key, b.Value.Options, b.Value.Value)).ToArray();
            var splits = finalists.Length > 1 ? Confirm(finalists, confirmations) : 1;
            var ranked = finalists.OrderByDescending(f => f.Sum).ToArray();
            var (winner, next) = (ranked[0], ranked.Length > 1 ? ranked[1] : null);
            var tried = _candidates.Count(c => c.Error is null);
            var spent = string.Create(CultureInfo.InvariantCulture,
                $"{tried} candidates scored in {time.GetElapsedTime(started).TotalSeconds:F1} s of a {settings.Budget.TotalSeconds:F0} s budget");
            var why = next is null
                ? string.Create(CultureInfo.InvariantCulture, $"{winner.Kind} is the only kind that trained: {settings.Metric} {winner.Value:G4} on validation")
                : splits == 1
                    ? string.Create(CultureInfo.InvariantCulture,
                        $"{winner.Kind} had the best validation {settings.Metric}, {winner.Value:G4}, against {next.Value:G4} for the next kind ({next.Kind}); {spent}")
                    : string.Create(CultureInfo.InvariantCulture,
                        $"{winner.Kind} had the best validation {settings.Metric}, {winner.Sum / splits:G4} on average over {splits} splits, against {next.Sum / splits:G4} for the next kind ({next.Kind}); on the search's split {winner.Value:G4} against {next.Value:G4}; {spent}");
            return new SelectionOutcome(winner.Kind, winner.Options, winner.Value, _candidates, why, time.GetElapsedTime(started));
        }

        /// <summary>
        /// Scores every finalist on each confirmation split in turn, adding to its <see cref="Finalist.Sum"/>, until the
        /// splits or the budget end (a split not scored for all of them counts for none); the splits counted, the
        /// search's own included.
        /// </summary>
        private int Confirm(Finalist[] finalists, IReadOnlyList<ValidationSplit> confirmations)
        {
            var splits = 1;
            var values = new double[finalists.Length];
            foreach (var confirmation in confirmations)
            {
                try
                {
                    for (var f = 0; f < finalists.Length && Left > TimeSpan.Zero; f++)
                    {
                        values[f] = Value(Fit(finalists[f].Kind, finalists[f].Options.Clone(), confirmation, Stopwatch.StartNew(), withinBudget: true));
                    }
                }
                catch (Exception e) when (e is TimeoutException or InvalidOperationException or ArgumentException or OptionException)
                {
                    return splits;
                }
                if (Left <= TimeSpan.Zero)
                {
                    return splits;
                }
                for (var f = 0; f < finalists.Length; f++)
                {
                    finalists[f].Sum += values[f];
                }
                splits++;
            }
            return splits;
        }

        /// <summary>A kind's best options on the search's split, and the sum of its values over the splits counted.</summary>
        private sealed class Finalist(string kind, ModelOptions options, double value)
        {
            public string Kind { get; } = kind;

            public ModelOptions Options { get; } = options;

            public double Value { get; } = value;

            public double Sum { get; set; } = value;
        }

        private void Record(string kind, ModelOptions options, Stopwatch clock, string error) =>
            _candidates.Add(new SelectionCandidate(kind, options.ToDictionary(), new Dictionary<string, double>(), clock.Elapsed.TotalSeconds, error));

        private double Value(IReadOnlyDictionary<string, double> metrics) =>
            metrics.First(m => string.Equals(m.Key, settings.Metric, StringComparison.OrdinalIgnoreCase)).Value;

        private static int CutOff(string metric)
        {
            var at = metric.LastIndexOf('@');
            return at > 0 && int.TryParse(metric.AsSpan(at + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var k) && k > 0
                ? k
                : throw new ArgumentException($"Metric '{metric}' has no cut-off (e.g. NDCG@10).", nameof(metric));
        }
    }
}
