using System.Diagnostics;
using System.Globalization;
using Fresco.Core.Data;
using Fresco.Core.Data.Readers;
using Fresco.Core.Models;
using Fresco.Core.Ranking;
using Fresco.Evaluation.Metrics;
using Fresco.Evaluation.Splits;
using Fresco.Models;
using Fresco.Models.Transformer;

using static Fresco.Benchmarks.Timing.CommandArgs;

namespace Fresco.Benchmarks.Timing;

/// <summary>
/// The transformer end to end on one sequence file, leave-last-out (the same split and ranking as
/// <c>fresco eval</c>): <c>transformer --data Beauty.txt [--set name=value ...] [--save FILE | --load FILE]
/// [--prune 0.25,0.5 [--max-loss 0.02]] [--requests 2000] [--history 50]</c>. Prints per-validation training
/// progress; the validation NDCG@10 (each user's last training item) of the model and of each --prune share
/// (structured pruning of the same weights, fine-tuned for the --set prune_epochs); then, for the model and for the
/// largest share within --max-loss of its validation NDCG@10 (chosen on validation, never on the test item), in
/// fp32 and int8: NDCG@10 / HR@10 / NDCG@20 on the test item, Overlap@10 with the unpruned fp32 lists, the served
/// weight bytes, per-request latency percentiles (one thread, a history of the latest --history events, top-10 with
/// exclusions) for full encoding and for one incremental append, and memory. Not thread-safe (a console entry point).
/// </summary>
internal static class TransformerCommand
{
    public static int Run(string[] args)
    {
        var table = DataReader.Read(Option(args, "--data", "../shared/data/amazon-beauty/Beauty.txt")).Interactions;
        var split = LeaveLastOutSplit.Split(table);
        var training = new TrainingData(EventWeights.Uniform.BuildMatrix(split.Train), split.Train);
        var test = EventWeights.Uniform.BuildMatrix(split.Test);
        var settings = args.Select((a, i) => (a, i)).Where(p => p.a == "--set" && p.i + 1 < args.Length).Select(p => args[p.i + 1]).ToArray();
        TransformerModel model;
        if (Option(args, "--load", "") is { Length: > 0 } load)
        {
            model = (TransformerModel)ModelCatalog.Load(load);
        }
        else
        {
            var options = ModelCatalog.CreateOptions("transformer", settings);
            Console.WriteLine($"options: {string.Join(' ', options.ToDictionary().Select(o => $"{o.Key}={o.Value}"))}");
            var clock = Stopwatch.StartNew();
            model = (TransformerModel)ModelCatalog.Train("transformer", new TrainingContext(training, options, Progress: new Printer()));
            Console.WriteLine(Invariant($"trained in {clock.Elapsed.TotalSeconds:F1} s wall: {model.Fit}"));
            if (Option(args, "--save", "") is { Length: > 0 } save)
            {
                ModelCatalog.Save(model, save);
            }
        }
        var requests = int.Parse(Option(args, "--requests", "2000"), CultureInfo.InvariantCulture);
        var history = int.Parse(Option(args, "--history", "50"), CultureInfo.InvariantCulture);
        var reference = model.WithQuantization(false);
        var referenceNdcg = reference.ValidationNdcg(0);
        Console.WriteLine(Invariant($"prune=0: validation NDCG@10 {referenceNdcg:F4}, {reference.ParameterCount} floats"));
        // The largest share whose validation NDCG@10 stays within --max-loss of the unpruned model's is reported.
        var maxLoss = double.Parse(Option(args, "--max-loss", "0.02"), CultureInfo.InvariantCulture);
        var chosen = reference;
        foreach (var share in Option(args, "--prune", "").Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var options = (TransformerOptions)ModelCatalog.CreateOptions(
                "transformer", model.Options.Select(o => $"{o.Key}={o.Value}").Concat(settings).Append($"prune={share}"));
            var clock = Stopwatch.StartNew();
            var pruned = reference.WithPruning(options, new Printer());
            var ndcg = pruned.ValidationNdcg(0);
            Console.WriteLine(Invariant($"prune={share} prune_epochs={options.PruneEpochs}: validation NDCG@10 {ndcg:F4} ({ndcg / referenceNdcg - 1:+0.0%;-0.0%}), {pruned.ParameterCount} floats, {clock.Elapsed.TotalSeconds:F1} s"));
            chosen = ndcg >= (1 - maxLoss) * referenceNdcg ? pruned : chosen;
        }
        foreach (var variant in chosen == reference ? [reference] : new[] { reference, chosen })
        {
            var name = $"prune={(variant.Options.TryGetValue("prune", out var share) ? share : "0")}";
            Report(variant, reference, training, test, $"{name} fp32", requests, history);
            Report(variant.WithQuantization(true), reference, training, test, $"{name} int8", requests, history);
        }
        using var process = Process.GetCurrentProcess();
        Console.WriteLine(Invariant($"peak working set {process.PeakWorkingSet64 / 1048576.0:F0} MiB"));
        return 0;
    }

    private static void Report(TransformerModel model, TransformerModel reference, TrainingData training, CsrMatrix test, string name, int requests, int history)
    {
        var clock = Stopwatch.StartNew();
        var result = RankingEvaluator.Evaluate(model, training.UserItems, test, [10, 20]);
        var overlap = model == reference ? 1.0 : RankingAgreement.Overlap(model, reference, training.UserItems, test, [10])["Overlap@10"];
        Console.WriteLine(Invariant($"{name}: NDCG@10 {result.Metrics["NDCG@10"]:F4} HR@10 {result.Metrics["HR@10"]:F4} NDCG@20 {result.Metrics["NDCG@20"]:F4} HR@20 {result.Metrics["HR@20"]:F4} Overlap@10 {overlap:F3} ({result.Users} users, {clock.Elapsed.TotalSeconds:F1} s); serving weights {model.Encoder.MemoryBytes / 1048576.0:F3} MiB"));
        Latency(model, name, requests, history);
    }

    /// <summary>Per-request latency on one thread: full encoding of the latest events + score + top-10, and append + score + top-10.</summary>
    private static void Latency(TransformerModel model, string name, int requests, int historyLength)
    {
        var random = new Random(1);
        var histories = new int[requests * historyLength];
        for (var i = 0; i < histories.Length; i++)
        {
            histories[i] = random.Next(model.ItemCount);
        }
        var weights = new float[historyLength];
        Array.Fill(weights, 1f);
        var results = new ScoredItem[10];
        var full = new double[requests];
        for (var pass = 0; pass < 3; pass++)
        {
            // Pauses let the tiered JIT install optimized code before the measured (last) pass.
            Thread.Sleep(500);
            for (var r = 0; r < requests; r++)
            {
                var start = Stopwatch.GetTimestamp();
                model.Recommend(UserHistory.Anonymous(histories.AsSpan(r * historyLength, historyLength), weights), results);
                full[r] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
        }
        var encoder = model.Encoder;
        var state = encoder.CreateState();
        var scores = new float[model.ItemCount];
        var append = new double[requests];
        encoder.Encode(state, histories.AsSpan(0, Math.Min(historyLength, encoder.MaxLength - 1)));
        for (var r = 0; r < requests; r++)
        {
            if (state.Count == encoder.MaxLength)
            {
                encoder.Encode(state, histories.AsSpan(r * historyLength, encoder.MaxLength / 2));
            }
            var start = Stopwatch.GetTimestamp();
            encoder.Append(state, histories[r]);
            encoder.Score(state, scores);
            TopK.Select(scores, results);
            append[r] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        var (encode, score) = (new double[requests], new double[requests]);
        for (var r = 0; r < requests; r++)
        {
            var start = Stopwatch.GetTimestamp();
            encoder.Encode(state, histories.AsSpan(r * historyLength, historyLength));
            var middle = Stopwatch.GetTimestamp();
            encoder.Score(state, scores);
            encode[r] = Stopwatch.GetElapsedTime(start, middle).TotalMilliseconds;
            score[r] = Stopwatch.GetElapsedTime(middle).TotalMilliseconds;
        }
        var (encodeMs, scoreMs) = (Percentile(encode, 0.5), Percentile(score, 0.5));
        var before = GC.GetAllocatedBytesForCurrentThread();
        model.Recommend(UserHistory.Anonymous(histories.AsSpan(0, historyLength), weights), results);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Console.WriteLine(Invariant($"{name}: {historyLength}-event request p50 {Percentile(full, 0.5):F3} ms p99 {Percentile(full, 0.99):F3} ms; incremental append+score p50 {Percentile(append, 0.5):F3} ms p99 {Percentile(append, 0.99):F3} ms; p50 encode {encodeMs:F3} ms + score {scoreMs:F3} ms; {allocated} B allocated per request"));
    }

    private static double Percentile(double[] values, double p)
    {
        var sorted = values.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];
    }


    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private sealed class Printer : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) =>
            Console.WriteLine(Invariant($"{DateTime.UtcNow:HH:mm:ss} {value.Stage} {value.Step}/{value.Steps} loss {value.Loss:F4}"));
    }
}
