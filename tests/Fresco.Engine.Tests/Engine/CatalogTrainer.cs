using Fresco.Core.Models;
using Fresco.Engine.Models;
using Fresco.Engine.Training;
using Fresco.Models;

namespace Fresco.Engine.Tests.Engine;

/// <summary>
/// A real, minimal trainer: fits a <see cref="ModelCatalog"/> model of <see cref="Kind"/> on the snapshot's matrix and
/// proposes it with a fixed metric: the gate passes it unless <see cref="Metric"/> is set below 0.5 (the serving model's).
/// Thread-safe (stateless but for the run count; set the kind and metric between runs).
/// </summary>
internal sealed class CatalogTrainer(string kind, params string[] options) : IModelTrainer
{
    private int _runs;

    public string Kind { get; set; } = kind;

    public string[] Options { get; set; } = options;

    /// <summary>The candidate's ndcg@10 (the serving model's is taken as 0.5).</summary>
    public double Metric { get; set; } = 0.5;

    public int Runs => Volatile.Read(ref _runs);

    public TrainingSnapshot? Last { get; private set; }

    public async Task<TrainingReport> TrainAsync(TrainingSnapshot snapshot, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _runs);
        Last = snapshot;
        var kind = Kind;
        var model = ModelCatalog.Train(kind, new TrainingContext(new TrainingData(snapshot.UserItems), ModelCatalog.CreateOptions(kind, Options)));
        var metrics = new Dictionary<string, double> { ["ndcg@10"] = Metric };
        var serving = new Dictionary<string, double> { ["ndcg@10"] = 0.5 };
        var outcome = await snapshot.Registry.ProposeAsync(model, snapshot.Ids,
            new CandidateReport(metrics, snapshot.Serving is null ? null : serving), new QualityGate("ndcg@10", 0.05), cancellationToken);
        return new TrainingReport(outcome, kind, snapshot.UserItems.Rows, snapshot.UserItems.Columns, snapshot.Events, metrics,
            snapshot.Serving is null ? null : serving, TimeSpan.Zero);
    }
}
