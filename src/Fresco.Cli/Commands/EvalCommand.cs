using System.CommandLine;
using System.Globalization;
using Fresco.Cli.Output;
using Fresco.Core.Models;
using Fresco.Evaluation;
using Fresco.Evaluation.Tuning;

namespace Fresco.Cli.Commands;

/// <summary>`fresco eval`: splits the data, trains (optionally tunes) a model and reports ranking metrics.</summary>
internal static class EvalCommand
{
    private static readonly string[] s_protocols = ["random", "leave-last-out", "temporal", "given-split", "kfold"];

    public static Command Create()
    {
        var data = new DataOptions();
        var model = new ModelArguments();
        var protocol = new Option<string?>("--protocol")
        {
            HelpName = "PROTOCOL",
            Description = $"evaluation protocol: {string.Join(", ", s_protocols)}; default given-split for a split folder, random otherwise",
        };
        protocol.AcceptOnlyFromAmong(s_protocols);
        var testFraction = new Option<double>("--test-fraction") { HelpName = "F", Description = "share held out for test (random, temporal)", DefaultValueFactory = _ => 0.2 };
        var seed = new Option<int>("--seed") { HelpName = "N", Description = "seed of the split", DefaultValueFactory = _ => 42 };
        var ks = new Option<string>("--k") { HelpName = "K[,K...]", Description = "cut-offs, e.g. 10 or 10,20", DefaultValueFactory = _ => "10" };
        var folds = new Option<int>("--folds") { HelpName = "N", Description = "number of folds (kfold)", DefaultValueFactory = _ => 5 };
        var tune = new Option<bool>("--tune") { Description = "search the model options on a validation split of the training part first" };
        var trials = new Option<int>("--trials") { HelpName = "N", Description = "tuning trials", DefaultValueFactory = _ => 30 };
        var tuneMetric = new Option<string>("--tune-metric") { HelpName = "METRIC", Description = "metric that tuning maximizes", DefaultValueFactory = _ => "NDCG@10" };
        var tuneMethod = new Option<string>("--tune-method") { HelpName = "tpe|random", Description = "tuning sampler", DefaultValueFactory = _ => "tpe" };
        tuneMethod.AcceptOnlyFromAmong("tpe", "random");
        var budget = new Option<int>("--budget")
        {
            HelpName = "SECONDS",
            Description = "with --model auto: wall-clock budget of the search (trials from --trials)",
            DefaultValueFactory = _ => 300,
        };
        var onValidation = new Option<bool>("--on-validation")
        {
            Description = "score on the validation split --tune searches on (carved from the training part) instead of the test; the test is never read",
        };
        var json = new Option<bool>("--json") { Description = "print exactly one JSON object on stdout" };
        var command = new Command("eval", "Evaluate a model: split, (tune,) train, rank every item for held-out users, report metrics.");
        data.AddTo(command);
        model.AddTo(command);
        foreach (var option in new Option[] { protocol, testFraction, seed, ks, folds, tune, trials, tuneMetric, tuneMethod, budget, onValidation, json })
        {
            command.Options.Add(option);
        }
        command.SetAction(parse => CliAction.Run(() =>
        {
            var auto = model.IsAuto(parse);
            var name = auto ? "auto" : model.ModelName(parse);
            var options = auto ? null : model.Options(parse);
            if (auto && (parse.GetValue(tune) || parse.GetValue(onValidation) || parse.GetValue(budget) < 1))
            {
                throw new OptionException("--model auto searches on its own: no --tune or --on-validation; --budget must be at least 1 second.");
            }
            if (parse.GetValue(tune) && parse.GetValue(onValidation))
            {
                throw new OptionException("--tune searches on the validation split that --on-validation scores on: use one of them.");
            }
            var fraction = parse.GetValue(testFraction);
            if (fraction is <= 0 or >= 1)
            {
                throw new OptionException($"--test-fraction must be between 0 and 1, not {fraction.ToString(CultureInfo.InvariantCulture)}.");
            }
            var foldCount = parse.GetValue(folds);
            var trialCount = parse.GetValue(trials);
            if (foldCount < 2 || trialCount < 1)
            {
                throw new OptionException("--folds must be at least 2 and --trials at least 1.");
            }
            var cutOffs = ParseCutOffs(parse.GetValue(ks)!);
            var dataSet = data.Load(parse);
            var weights = data.Weights(parse, dataSet);
            var chosen = parse.GetValue(protocol) ?? (dataSet.Test is null ? "random" : "given-split");
            if (chosen == "given-split" && dataSet.Test is null)
            {
                throw new OptionException($"--protocol given-split needs a data set with a test part (a folder with train.txt and test.txt); {dataSet.Name} has none.");
            }
            if (chosen == "temporal" && dataSet.Interactions.Count > 0 && !dataSet.Interactions.HasTimestamps)
            {
                throw new OptionException($"--protocol temporal needs timestamps, and {dataSet.Name} has none; use random, leave-last-out or kfold.");
            }
            var settings = new EvaluationSettings(chosen, fraction, parse.GetValue(seed), foldCount, cutOffs, parse.GetValue(tune), trialCount,
                TuneMethod: parse.GetValue(tuneMethod)!, TuneMetric: parse.GetValue(tuneMetric)!, OnValidation: parse.GetValue(onValidation));
            EvaluationResult result;
            using (var progress = new ConsoleProgress())
            {
                result = auto
                    ? EvaluationRunner.RunAuto(dataSet, new SelectionSettings(ModelSelection.DefaultKinds, settings.TuneMetric,
                        TimeSpan.FromSeconds(parse.GetValue(budget)), trialCount, model.Assignments(parse), settings.Seed), settings, weights, progress)
                    : EvaluationRunner.Run(dataSet, name, options!, settings, weights, progress);
            }
            Console.Out.WriteLine(parse.GetValue(json) ? EvaluationOutput.ToJson(result) : EvaluationOutput.ToTable(result));
            return CliAction.Ok;
        }));
        return command;
    }

    private static int[] ParseCutOffs(string text)
    {
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var values = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out values[i]) || values[i] < 1)
            {
                throw new OptionException($"--k takes positive cut-offs like 10 or 10,20, not '{text}'.");
            }
        }
        return values.Length > 0 ? [.. values.Distinct().Order()] : throw new OptionException("--k needs at least one cut-off.");
    }
}
