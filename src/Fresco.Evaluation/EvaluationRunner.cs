using System.Diagnostics;
using System.Globalization;
using Fresco.Core.Data;
using Fresco.Core.Data.Readers;
using Fresco.Core.Models;
using Fresco.Evaluation.Splits;
using Fresco.Evaluation.Tuning;
using Fresco.Models;

namespace Fresco.Evaluation;

/// <summary>Runs a whole evaluation (split, optional tuning, train, rank, score) for the CLI. Thread-safe (static).</summary>
public static class EvaluationRunner
{
    /// <summary>
    /// Evaluates <paramref name="modelName"/> with <paramref name="options"/> on <paramref name="data"/>, weighting
    /// events by <paramref name="weights"/>. With <see cref="EvaluationSettings.Tune"/>, first searches the options
    /// on a validation split carved from the training part only, then evaluates the best.
    /// </summary>
    /// <exception cref="OptionException">An unknown model, protocol or metric, or an invalid setting.</exception>
    /// <exception cref="InvalidOperationException">No user to evaluate, or the model failed to train or score.</exception>
    public static EvaluationResult Run(
        DataSet data,
        string modelName,
        ModelOptions options,
        EvaluationSettings settings,
        EventWeights weights,
        IProgress<string>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var descriptor = ModelCatalog.Get(modelName);
        return Run(data, descriptor.Name, descriptor.Train, options, settings, weights, progress, cancellationToken);
    }

    /// <summary>
    /// <c>auto</c>, as the server's <c>Training:Model = auto</c> chooses: <see cref="ModelSelection"/> of
    /// <paramref name="selection"/>'s kinds on the validation split that <see cref="EvaluationSettings.Tune"/> would
    /// use (carved from the first split's training part), then the winner with its options evaluated as
    /// <see cref="Run(DataSet, string, ModelOptions, EvaluationSettings, EventWeights, IProgress{string}?, CancellationToken)"/>
    /// does (every fold with the same winner). The result's model reads <c>auto:KIND</c>; its trials are the candidates'.
    /// </summary>
    public static EvaluationResult RunAuto(
        DataSet data,
        SelectionSettings selection,
        EvaluationSettings settings,
        EventWeights weights,
        IProgress<string>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(selection);
        settings = settings with { Tune = false };
        settings.Validate();
        var first = EvaluationProtocol.Splits(data, settings)[0];
        var validation = new PreparedSplit(EvaluationProtocol.TuningSplit(first, settings, 0), weights, CategoryMatrix(data));
        if (validation.TestUsers == 0)
        {
            throw new InvalidOperationException("The validation split carved from the training part has no user to evaluate: too few interactions to search.");
        }
        progress?.Report(Invariant($"auto: {string.Join(", ", selection.Kinds)} on {validation.TrainRows} training / {validation.TestRows} validation interactions, {selection.MaxTrials} trials or {selection.Budget.TotalSeconds:F0} s, maximizing {selection.Metric}"));
        var search = ModelSelection.Run(validation.Training, validation.Test, selection, null, null, cancellationToken);
        var trials = new List<TuningTrial>();
        foreach (var c in search.Candidates)
        {
            var value = c.Validation.FirstOrDefault(m => string.Equals(m.Key, selection.Metric, StringComparison.OrdinalIgnoreCase)).Value;
            progress?.Report(Invariant($"auto: {c.Kind} {(c.Error ?? $"{selection.Metric} {value:F4}")} ({c.Seconds:F1} s) {string.Join(' ', c.Options.Select(o => $"{o.Key}={o.Value}"))}"));
            trials.Add(new TuningTrial(trials.Count + 1, new Dictionary<string, string>(c.Options) { ["model"] = c.Kind },
                c.Error is null ? value : null, c.Error));
        }
        progress?.Report("auto: " + search.Why);
        var result = Run(data, search.Kind, search.Options, settings, weights, progress, cancellationToken);
        return result with { Model = "auto:" + search.Kind, Trials = trials, TuneSeconds = search.Duration.TotalSeconds };
    }

    /// <summary>The same with any trainer (tests use models that are not in the catalog).</summary>
    internal static EvaluationResult Run(
        DataSet data,
        string modelName,
        Func<TrainingContext, IRecommender> train,
        ModelOptions options,
        EvaluationSettings settings,
        EventWeights weights,
        IProgress<string>? progress,
        CancellationToken cancellationToken)
    {
        settings.Validate();
        options.Validate();
        var protocol = EvaluationProtocol.Normalize(settings.Protocol);
        var clock = Stopwatch.StartNew();
        var splits = EvaluationProtocol.Splits(data, settings);
        if (settings.OnValidation)
        {
            splits = [.. splits.Select((split, fold) => EvaluationProtocol.TuningSplit(split, settings, fold))];
        }
        var holdout = settings.OnValidation ? "validation" : "test";
        var categories = CategoryMatrix(data);
        progress?.Report(Invariant($"split: {protocol}, {splits.Count} split(s), train {splits[0].Train.Count} / {holdout} {splits[0].Test.Count} interactions ({clock.Elapsed.TotalSeconds:F2} s)"));

        if (data.Test is not null && protocol != "given-split")
        {
            progress?.Report($"split: the data set's own test part ({data.Test.Count} interactions) is not used by protocol {protocol}");
        }
        var foldMetrics = new List<IReadOnlyDictionary<string, double>>();
        var usedOptions = new List<IReadOnlyDictionary<string, string>>();
        var trials = new List<TuningTrial>();
        double trainSeconds = 0, evalSeconds = 0, tuneSeconds = 0;
        var evaluatedUsers = 0L;
        for (var fold = 0; fold < splits.Count; fold++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var prefix = splits.Count > 1 ? $"fold {fold + 1}/{splits.Count}: " : "";
            var chosen = options;
            if (settings.Tune)
            {
                clock.Restart();
                var outcome = Tune(splits[fold], fold, modelName, train, options, settings, weights, categories, prefix, progress, cancellationToken);
                tuneSeconds += clock.Elapsed.TotalSeconds;
                chosen = outcome.Best;
                trials.AddRange(outcome.Trials);
            }
            var prepared = new PreparedSplit(splits[fold], weights, categories);
            progress?.Report($"{prefix}train: {modelName} on {prepared.TrainRows} interactions");
            var (evaluation, trainTime, evalTime) = prepared.Run(modelName, train, chosen, settings.CutOffs, cancellationToken);
            progress?.Report(Invariant($"{prefix}evaluate: {evaluation.Users} users, train {trainTime:F2} s, rank {evalTime:F2} s"));
            foldMetrics.Add(evaluation.Metrics);
            usedOptions.Add(chosen.ToDictionary());
            trainSeconds += trainTime;
            evalSeconds += evalTime;
            evaluatedUsers += evaluation.Users;
        }

        return new EvaluationResult(
            data.Name,
            modelName,
            protocol,
            MergeOptions(usedOptions),
            data.Interactions.Users.Count,
            data.Interactions.Items.Count,
            data.Interactions.Count + (protocol == "given-split" ? data.Test?.Count ?? 0 : 0),
            (int)Math.Round((double)evaluatedUsers / splits.Count),
            foldMetrics.Count == 1 ? foldMetrics[0] : MeanAndDeviation(foldMetrics),
            trainSeconds,
            evalSeconds)
        {
            Holdout = holdout,
            Trials = trials,
            TuneSeconds = tuneSeconds,
        };
    }

    private static TuningOutcome Tune(
        DataSplit split,
        int fold,
        string modelName,
        Func<TrainingContext, IRecommender> train,
        ModelOptions options,
        EvaluationSettings settings,
        EventWeights weights,
        CsrMatrix? categories,
        string prefix,
        IProgress<string>? progress,
        CancellationToken cancellationToken)
    {
        var (metric, k) = settings.ParseTuneMetric();
        if (!options.Parameters.Any(p => p.Search is not null))
        {
            progress?.Report($"{prefix}tune: model '{modelName}' has no tunable options; evaluating the given ones");
            return new TuningOutcome(options, double.NaN, []);
        }
        var validation = new PreparedSplit(EvaluationProtocol.TuningSplit(split, settings, fold), weights, categories);
        if (validation.TestUsers == 0)
        {
            throw new InvalidOperationException("The validation split carved from the training part has no user to evaluate: too few interactions to tune.");
        }
        progress?.Report($"{prefix}tune: {settings.TuneMethod}, {settings.Trials} trials on {validation.TrainRows} training / {validation.TestRows} validation interactions, maximizing {metric}");
        return HyperParameterSearch.Run(
            options,
            settings.TuneMethod,
            settings.Trials,
            settings.Seed + fold,
            candidate => validation.Run(modelName, train, candidate, [k], cancellationToken).Evaluation.Metrics[metric],
            metric,
            progress is null ? null : new SynchronousProgress<string>(m => progress.Report(prefix + m)),
            cancellationToken);
    }

    /// <summary>Items x categories from the data set's category names, when it has them.</summary>
    private static CsrMatrix? CategoryMatrix(DataSet data)
    {
        if (data.ItemCategories is not { Count: > 0 } itemCategories)
        {
            return null;
        }
        var names = new IdMap();
        var items = data.Interactions.Items.Count;
        var entries = new List<(int Item, int Category)>();
        foreach (var (item, categoryNames) in itemCategories)
        {
            if ((uint)item < (uint)items)
            {
                entries.AddRange(categoryNames.Where(c => c.Length > 0).Select(c => (item, names.GetOrAdd(c))));
            }
        }
        var matrix = new CsrBuilder(items, names.Count, entries.Count);
        foreach (var (item, category) in entries)
        {
            matrix.Add(item, category, 1f);
        }
        return matrix.Build(DuplicatePolicy.Max);
    }

    private static Dictionary<string, double> MeanAndDeviation(List<IReadOnlyDictionary<string, double>> folds)
    {
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var key in folds[0].Keys)
        {
            var values = folds.Select(f => f[key]).ToArray();
            var mean = values.Average();
            var variance = values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1);
            result[key] = mean;
            result[key + "_std"] = Math.Sqrt(variance);
        }
        return result;
    }

    /// <summary>The options used; where folds were tuned to different values, those values joined by "; ".</summary>
    private static Dictionary<string, string> MergeOptions(List<IReadOnlyDictionary<string, string>> perFold) =>
        perFold[0].Keys.ToDictionary(
            key => key,
            key => string.Join("; ", perFold.Select(o => o[key]).Distinct()),
            StringComparer.Ordinal);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
