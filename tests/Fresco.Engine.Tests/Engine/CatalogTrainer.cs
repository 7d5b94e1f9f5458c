using Fresco.Core.Models;
using Fresco.Engine.Models;
using Fresco.Engine.Training;
using Fresco.Models;

namespace Fresco.Engine.Tests.Engine;

/// <summary>
/// A real, minimal trainer: fits a <see cref="ModelCatalog"/> model on the snapshot's matrix and proposes it with a
/// fixed metric (so the gate always passes). Thread-safe (stateless but for the run count).
/// </summary>
internal sealed class CatalogTrainer(string kind, params string[] options) : IModelTrainer
{
    private int _runs;

    public int Runs => Volatile.Read(ref _runs);

    public TrainingSnapshot? Last { get; private set; }

    public async Task<TrainingReport> TrainAsync(TrainingSnapshot snapshot, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _runs);
        Last = snapshot;
        var model = ModelCatalog.Train(kind, new TrainingContext(new TrainingData(snapshot.UserItems), ModelCatalog.CreateOptions(kind, options)));
        var metrics = new Dictionary<string, double> { ["ndcg@10"] = 0.5 };
        var outcome = await snapshot.Registry.ProposeAsync(model, snapshot.Ids,
            new CandidateReport(metrics, snapshot.Serving is null ? null : metrics), new QualityGate("ndcg@10", 0.05), cancellationToken);
        return new TrainingReport(outcome, kind, snapshot.UserItems.Rows, snapshot.UserItems.Columns, snapshot.Events, metrics,
            snapshot.Serving is null ? null : metrics, TimeSpan.Zero);
    }
}
