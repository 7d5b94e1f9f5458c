namespace Fresco.Engine.Storage;

/// <summary>A complete back-end: catalog, events, models, scenarios, experiments and impressions together. Thread-safe, as each part is.</summary>
public interface IStore : ICatalogStore, IEventStore, IModelStore, IScenarioStore, IExperimentStore, IImpressionStore, IAsyncDisposable
{
}
