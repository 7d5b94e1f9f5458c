using System.Diagnostics.Metrics;
using Fresco.Engine;
using Fresco.Engine.Training;
using Fresco.Retrieval.Usearch;
using Fresco.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fresco.Server;

/// <summary>
/// The production engine of `fresco serve`: the embedded SQLite store in Server:DataDir, the configured options,
/// the gated trainer (<see cref="EngineTrainer"/>) and USearch retrieval for factor models over catalogs larger than
/// Recommend:AnnThreshold. The engine owns its store: disposing the engine closes it. Thread-safe (stateless).
/// </summary>
public static class EngineFactory
{
    public static async Task<IFrescoEngine> CreateAsync(
        FrescoServerOptions server, FrescoEngineOptions engine, IServiceProvider services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(services);
        var time = services.GetService<TimeProvider>();
        var loggers = services.GetService<ILoggerFactory>();
        var trainer = new EngineTrainer(time, loggers, new TrainingMetrics(services.GetService<IMeterFactory>()));
        var ann = new UsearchOptions { MinItems = engine.Recommend.AnnThreshold };
        var storeOptions = new SqliteStoreOptions
        {
            Logger = loggers?.CreateLogger<SqliteStore>(),
            MeterFactory = services.GetService<IMeterFactory>(),
        };
        var store = await SqliteStore.OpenAsync(server.DataDir, storeOptions, cancellationToken).ConfigureAwait(false);
        try
        {
            return await new FrescoEngineBuilder(store, engine, trainer)
            {
                Time = time ?? TimeProvider.System,
                Loggers = loggers ?? NullLoggerFactory.Instance,
                Retrievers = serving => UsearchRetriever.Create(serving, ann),
                OwnsStore = true,
            }.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
