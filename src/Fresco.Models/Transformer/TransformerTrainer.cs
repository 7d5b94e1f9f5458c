using System.Diagnostics;
using System.Globalization;
using Fresco.Core.Models;
using Fresco.Core.Nn;

namespace Fresco.Models.Transformer;

/// <summary>
/// Fits SASRec (Kang and McAuley 2018) with a cross-entropy next-item objective at every position: each user's
/// last training event is held out as the validation target, the rest is trained on with AdamW and a linear
/// warm-up; the epoch with the best validation NDCG@10 is kept (early stopping), and the model then serves from
/// the full sequences. Deterministic for a seed and thread count. Thread-safe (static).
/// </summary>
public static class TransformerTrainer
{
    public static TransformerModel Train(TrainingContext context)
    {
        var options = (TransformerOptions)context.Options;
        options.Validate();
        var data = context.Data;
        var sequences = UserSequences.From(data);
        var network = new TransformerNetwork(data.ItemCount, options.Dimension, options.Blocks, options.Heads, options.FeedForward, options.MaxLength, options.Seed);
        var report = Fit(network, sequences, options, context.Progress, context.CancellationToken);
        if (options.Prune > 0)
        {
            (network, var fineTune) = Prune(network, sequences, options, context.Progress, context.CancellationToken);
            report = fineTune ?? report;
        }
        return new TransformerModel(network, sequences, options.ToDictionary(), options.Quantize == "int8", report);
    }

    /// <summary>
    /// Prunes a trained network by <see cref="TransformerOptions.Prune"/> and fine-tunes it for
    /// <see cref="TransformerOptions.PruneEpochs"/> epochs (validated after each; the best of them and of the pruned
    /// weights before fine-tuning is kept); the fine-tuning's report, null without fine-tuning.
    /// </summary>
    internal static (TransformerNetwork Network, TransformerFit? FineTune) Prune(
        TransformerNetwork network, UserSequences sequences, TransformerOptions options,
        IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        var pruned = StructuredPruning.Prune(network, options.Prune);
        if (options.PruneEpochs == 0)
        {
            return (pruned, null);
        }
        var fineTune = (TransformerOptions)options.Clone();
        (fineTune.Epochs, fineTune.EvaluateEvery, fineTune.MaxMinutes) = (options.PruneEpochs, 1, 0);
        return (pruned, Fit(pruned, sequences, fineTune, progress, cancellationToken, keepStartIfBest: true));
    }

    internal static TransformerFit Fit(
        TransformerNetwork network, UserSequences sequences, TransformerOptions options,
        IProgress<TrainingProgress>? progress, CancellationToken cancellationToken, bool keepStartIfBest = false)
    {
        var threads = options.EffectiveThreads;
        var planner = new BatchPlanner(network, options.BatchSize);
        // Users with at least 3 events validate on their last one; everyone trains on the rest.
        var validationUsers = Enumerable.Range(0, sequences.Users).Where(u => sequences.Sequence(u).Length >= 3).ToArray();
        var trainUsers = Enumerable.Range(0, sequences.Users)
            .Where(u => TrainLength(sequences, u) >= 2)
            .ToArray();
        var trainLengths = trainUsers.Select(u => Math.Min(TrainLength(sequences, u) - 1, network.MaxLength)).ToArray();
        var validator = new SequenceValidator(planner, sequences, network, validationUsers);
        ISequenceLoss loss = options.Loss == "sampled"
            ? new SampledSoftmaxLoss(ItemCounts(sequences, network.Items), network.Dimension, options.Negatives, options.Seed)
            : new FullSoftmaxLoss(network.Items, network.Dimension);
        var optimizer = new AdamW(network.Parameters, (float)options.LearningRate, weightDecay: (float)options.WeightDecay);
        var random = new Random(options.Seed);
        var scratch = new int[sequences.Users == 0 ? 0 : Enumerable.Range(0, sequences.Users).Max(u => sequences.Sequence(u).Length)];
        var best = network.Parameters.Select(p => (float[])p.Value.Clone()).ToArray();
        var report = new TransformerFit();
        var bestScore = double.NegativeInfinity;
        var sinceBest = 0;
        var step = 0;
        var budget = Stopwatch.StartNew();
        if (keepStartIfBest)
        {
            // Fine-tuning: the starting weights compete with every epoch.
            bestScore = report.ValidationNdcg = validator.Ndcg(threads);
        }
        for (var epoch = 1; epoch <= options.Epochs; epoch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var clock = Stopwatch.StartNew();
            var cpu = Environment.CpuUsage.TotalTime;
            double lossSum = 0, flops = 0;
            var batches = planner.Plan(trainLengths, random);
            foreach (var batchUsers in batches)
            {
                // Per batch, not per epoch: a budgeted search cancels a trial at its deadline, and an epoch can take minutes.
                cancellationToken.ThrowIfCancellationRequested();
                var batch = planner.Workspace(batchUsers.Max(i => trainLengths[i]));
                for (var i = 0; i < batchUsers.Length; i++)
                {
                    ReadOnlySpan<int> train = sequences.Sequence(trainUsers[batchUsers[i]])[..^1];
                    if (!sequences.Ordered)
                    {
                        // Without times the order is arbitrary: learn from a fresh permutation each epoch.
                        var shuffled = scratch.AsSpan(0, train.Length);
                        train.CopyTo(shuffled);
                        random.Shuffle(shuffled);
                        train = shuffled;
                    }
                    var start = Math.Max(0, train.Length - 1 - batch.Length);
                    batch.SetSequence(i, train[start..^1], train[(start + 1)..]);
                }
                batch.ClearFrom(batchUsers.Length);
                step++;
                optimizer.LearningRate = (float)(options.LearningRate * Math.Min(1.0, (double)step / Math.Max(1, options.WarmupSteps)));
                optimizer.ZeroGrad();
                batch.Forward((float)options.Dropout, Mix((ulong)options.Seed, (ulong)step), threads);
                lossSum += loss.Compute(batch, network.ItemTable, threads);
                batch.Backward(threads);
                optimizer.Step();
                flops += loss.LastFlops + EncoderFlops(network, batch);
            }
            var seconds = clock.Elapsed.TotalSeconds;
            report.EpochSeconds += seconds;
            report.EpochCpuSeconds += (Environment.CpuUsage.TotalTime - cpu).TotalSeconds;
            report.Epochs = epoch;
            report.Gflops = flops / seconds / 1e9;
            var meanLoss = lossSum / Math.Max(1, batches.Count);
            if (epoch % options.EvaluateEvery != 0 && epoch != options.Epochs)
            {
                progress?.Report(new TrainingProgress("epoch", epoch, options.Epochs, meanLoss));
                continue;
            }
            var ndcg = validator.Ndcg(threads);
            progress?.Report(new TrainingProgress(
                string.Create(CultureInfo.InvariantCulture, $"epoch ({seconds:F1} s, {report.Gflops:F0} GFLOP/s) validation NDCG@10 {ndcg:F4}"),
                epoch, options.Epochs, meanLoss));
            if (ndcg > bestScore)
            {
                (bestScore, sinceBest, report.BestEpoch, report.ValidationNdcg) = (ndcg, 0, epoch, ndcg);
                network.CopyValuesTo(best);
            }
            else if (options.Patience > 0 && ++sinceBest >= options.Patience)
            {
                break;
            }
            if (options.MaxMinutes > 0 && budget.Elapsed.TotalMinutes >= options.MaxMinutes)
            {
                break;
            }
        }
        network.CopyValuesFrom(best);
        report.EpochSeconds /= Math.Max(1, report.Epochs);
        report.EpochCpuSeconds /= Math.Max(1, report.Epochs);
        return report;
    }

    private static int TrainLength(UserSequences sequences, int user) => sequences.Sequence(user).Length - 1;

    private static int[] ItemCounts(UserSequences sequences, int items)
    {
        var counts = new int[items];
        foreach (var item in sequences.Items)
        {
            counts[item]++;
        }
        return counts;
    }

    /// <summary>About 3x the forward multiply-adds of the blocks, x2 flops each.</summary>
    private static double EncoderFlops(TransformerNetwork network, TransformerBatch batch)
    {
        double rows = batch.Batch * batch.Length, d = network.Dimension;
        var perBlock = network.Blocks.Sum(b => (rows * d * ((4 * d) + (2 * b.HiddenSize))) + (2 * rows * batch.Length * d));
        return 6 * perBlock;
    }

    private static ulong Mix(ulong seed, ulong step)
    {
        var z = (seed * 0x9E3779B97F4A7C15UL) + step;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        return z ^ (z >> 31);
    }
}
