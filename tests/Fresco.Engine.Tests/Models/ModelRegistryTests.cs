using Fresco.Core.Models;
using Fresco.Engine.Models;
using Fresco.Engine.Storage;
using Fresco.Models;
using Fresco.TestKit;
using Xunit;

namespace Fresco.Engine.Tests.Models;

/// <summary>
/// The behaviour of <see cref="ModelRegistry"/> over any <see cref="IStore"/>; each back-end's subclass says how to
/// open its store (a second open after dispose must see the same data).
/// </summary>
public abstract partial class ModelRegistryTests : IAsyncLifetime
{
    protected static readonly QualityGate Gate = new("ndcg", 0.05);

    private static readonly Lazy<IRecommender> s_popularity = new(() => Train("popularity", []));
    private static readonly Lazy<IRecommender> s_itemKnn = new(() => Train("itemknn", ["neighbors=10", "shrinkage=1"]));

    protected IStore Store { get; private set; } = null!;

    protected ModelRegistry Registry { get; private set; } = null!;

    protected static IRecommender Popularity => s_popularity.Value;

    protected static IRecommender ItemKnn => s_itemKnn.Value;

    protected static ModelIdSpace IdsFor(IRecommender model) => new(
        Enumerable.Range(0, model.UserCount).Select(u => "u" + u).ToArray(),
        Enumerable.Range(0, model.ItemCount).Select(i => "i" + i).ToArray());

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected abstract Task<IStore> OpenStoreAsync();

    protected virtual void Cleanup()
    {
    }

    public async ValueTask InitializeAsync()
    {
        Store = await OpenStoreAsync();
        Registry = new ModelRegistry(Store, new ModelRegistryOptions { KeepVersions = 3 });
    }

    public async ValueTask DisposeAsync()
    {
        Registry.Dispose();
        await Store.DisposeAsync();
        Cleanup();
        GC.SuppressFinalize(this);
    }

    /// <summary>Closes the store and registry and opens new ones over the same data, as a process restart would.</summary>
    protected async Task RestartAsync()
    {
        Registry.Dispose();
        await Store.DisposeAsync();
        Store = await OpenStoreAsync();
        Registry = new ModelRegistry(Store, new ModelRegistryOptions { KeepVersions = 3 });
    }

    protected static CandidateReport Report(double candidate, double? serving) => new(
        new Dictionary<string, double> { ["ndcg"] = candidate },
        serving is null ? null : new Dictionary<string, double> { ["ndcg"] = serving.Value });

    protected static float[] Scores(IRecommender model, int user)
    {
        var scores = new float[model.ItemCount];
        model.Score(UserHistory.FromMatrix(TinyData.Matrix(), user), scores);
        return scores;
    }

    private static IRecommender Train(string name, IEnumerable<string> options) =>
        ModelCatalog.Train(name, new TrainingContext(TinyData.Training(), ModelCatalog.CreateOptions(name, options)));
}
