using System.Globalization;
using Fresco.Core.Models;

namespace Fresco.Evaluation.Tuning;

/// <summary>
/// Searches a model's tunable options (the <see cref="Parameter"/>s with a <see cref="SearchRange"/>) to maximize
/// an objective. Trial 1 is always the given options, so the result is never worse than them on the objective;
/// the next trials come from a <c>random</c> or <c>tpe</c> sampler seeded with the given seed. A trial whose
/// options are invalid or whose training fails is recorded and skipped; repeated options reuse the earlier
/// value. <c>keepGoing</c>, when given, is asked before every trial after the first: false ends the search (a
/// wall-clock budget). Thread-safe (static); the objective is called sequentially.
/// </summary>
public static class HyperParameterSearch
{
    public static readonly IReadOnlyList<string> Methods = ["tpe", "random"];

    public static TuningOutcome Run(
        ModelOptions defaults,
        string method,
        int trials,
        int seed,
        Func<ModelOptions, double> objective,
        string metricName = "objective",
        IProgress<string>? progress = null,
        CancellationToken cancellationToken = default,
        Func<bool>? keepGoing = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(trials, 1);
        var tuned = defaults.Parameters.Where(p => p.Search is not null).ToArray();
        foreach (var p in tuned)
        {
            SearchSpace.Validate(p.Search!, p.Name);
        }
        var ranges = tuned.Select(p => p.Search!).ToArray();
        ISampler sampler = method.ToLowerInvariant() switch
        {
            "tpe" => new TpeSampler(ranges, seed),
            "random" => new RandomSampler(ranges, seed),
            _ => throw new OptionException($"Unknown tuning method '{method}'. Valid methods: {string.Join(", ", Methods)}."),
        };
        if (tuned.Length == 0)
        {
            progress?.Report("tune: the model has no tunable options; using the given ones");
            return new TuningOutcome(defaults.Clone(), double.NaN, []);
        }

        var history = new List<Observation>();
        var results = new List<TuningTrial>();
        var seen = new Dictionary<string, double>(StringComparer.Ordinal);
        ModelOptions? best = null;
        var bestValue = double.NegativeInfinity;
        for (var trial = 1; trial <= trials; trial++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (trial > 1 && keepGoing is not null && !keepGoing())
            {
                break;
            }
            var candidate = defaults.Clone();
            var description = "";
            try
            {
                if (trial > 1)
                {
                    Apply(candidate, tuned, sampler.Suggest(history));
                }
                description = Describe(candidate, tuned);
                if (!seen.TryGetValue(description, out var value))
                {
                    candidate.Validate();
                    value = objective(candidate);
                    seen[description] = value;
                }
                history.Add(new Observation(PointOf(candidate, tuned), value));
                results.Add(new TuningTrial(trial, candidate.ToDictionary(), value));
                if (value > bestValue || best is null)
                {
                    (best, bestValue) = (candidate, value);
                }
                progress?.Report(string.Create(CultureInfo.InvariantCulture,
                    $"tune: trial {trial}/{trials} {metricName}={value:F4} (best {bestValue:F4}) {description}"));
            }
            catch (Exception e) when (trial > 1 && e is not OperationCanceledException)
            {
                results.Add(new TuningTrial(trial, candidate.ToDictionary(), null, e.Message));
                progress?.Report($"tune: trial {trial}/{trials} failed ({e.Message}) {description}");
            }
        }
        return new TuningOutcome(best!, bestValue, results);
    }

    private static void Apply(ModelOptions options, Parameter[] tuned, double[] point)
    {
        for (var d = 0; d < tuned.Length; d++)
        {
            var parameter = options.Parameters.First(p => p.Name == tuned[d].Name);
            parameter.Set(Format(parameter, point[d]));
        }
    }

    private static string Format(Parameter parameter, double value)
    {
        var index = (int)Math.Round(value);
        return parameter.Kind switch
        {
            ParameterKind.Choice => parameter.Choices[Math.Clamp(index, 0, parameter.Choices.Count - 1)],
            ParameterKind.Boolean => index != 0 ? "true" : "false",
            ParameterKind.Integer => Math.Clamp(Math.Round(value), parameter.Min, parameter.Max).ToString(CultureInfo.InvariantCulture),
            _ => Math.Clamp(value, parameter.Min, parameter.Max).ToString("R", CultureInfo.InvariantCulture),
        };
    }

    /// <summary>The point the options stand at, in the samplers' terms (the value actually set, after rounding).</summary>
    private static double[] PointOf(ModelOptions options, Parameter[] tuned)
    {
        var point = new double[tuned.Length];
        for (var d = 0; d < tuned.Length; d++)
        {
            var parameter = options.Parameters.First(p => p.Name == tuned[d].Name);
            point[d] = parameter.Kind switch
            {
                ParameterKind.Choice => Math.Max(0, IndexOf(parameter.Choices, parameter.Value)),
                ParameterKind.Boolean => parameter.Value == "true" ? 1 : 0,
                _ => double.Parse(parameter.Value, CultureInfo.InvariantCulture),
            };
        }
        return point;
    }

    private static int IndexOf(IReadOnlyList<string> choices, string value)
    {
        for (var i = 0; i < choices.Count; i++)
        {
            if (string.Equals(choices[i], value, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }
        return -1;
    }

    private static string Describe(ModelOptions options, Parameter[] tuned) =>
        string.Join(' ', tuned.Select(t => $"{t.Name}={options.Parameters.First(p => p.Name == t.Name).Value}"));
}
