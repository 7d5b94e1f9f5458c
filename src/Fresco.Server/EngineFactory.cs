using System.Diagnostics.Metrics;
using Fresco.Cluster.Redis;
using Fresco.Engine;
using Fresco.Engine.Cluster;
using Fresco.Engine.Models;
using Fresco.Engine.Serving;
using Fresco.Engine.Storage;
using Fresco.Engine.Training;
using Fresco.Retrieval.Usearch;
using Fresco.Server.Configuration;
using Fresco.Storage.Postgres;
using Fresco.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fresco.Server;

/// <summary>
/// The production engine of `fresco serve`: the configured options, the gated trainer (<see cref="EngineTrainer"/>) and
/// USearch retrieval for factor models over catalogs larger than Recommend:AnnThreshold, over the embedded SQLite store
/// in Server:DataDir, or, with Store:Postgres set, as a cluster node: PostgreSQL (store, change log, node directory,
/// trainer lease) and, with Cluster:Redis set, the Redis bus. The engine owns its store (and its cluster services):
/// disposing the engine closes them. Thread-safe (stateless).
/// </summary>
public static class EngineFactory
{
    private static readonly TimeSpan s_leaseRetry = TimeSpan.FromSeconds(1);

    public static async Task<IFrescoEngine> CreateAsync(
        FrescoServerOptions server, FrescoEngineOptions engine, IServiceProvider services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(services);
        var time = services.GetService<TimeProvider>() ?? TimeProvider.System;
        var loggers = services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
        var meters = services.GetService<IMeterFactory>();
        var settings = services.GetService<FrescoSettings>();
        var trainer = new EngineTrainer(time, loggers, new TrainingMetrics(meters));
        var ann = new UsearchOptions { MinItems = engine.Recommend.AnnThreshold };
        Func<ServingModel, ICandidateRetriever?> retrievers = serving => UsearchRetriever.Create(serving, ann);
        if (settings?.Store.Postgres is { } connection)
        {
            return await CreateNodeAsync(connection, settings, engine, trainer, retrievers, time, loggers, cancellationToken).ConfigureAwait(false);
        }

        var storeOptions = new SqliteStoreOptions
        {
            Logger = loggers.CreateLogger<SqliteStore>(),
            MeterFactory = meters,
            CacheMiB = settings?.Store.SqliteCacheMiB ?? SqliteStoreOptions.DefaultCacheMiB,
        };
        var store = await SqliteStore.OpenAsync(server.DataDir, storeOptions, cancellationToken).ConfigureAwait(false);
        return await StartAsync(new FrescoEngineBuilder(store, engine, trainer)
        {
            Time = time,
            Loggers = loggers,
            Retrievers = retrievers,
            OwnsStore = true,
        }, store, cluster: null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A cluster node on PostgreSQL (and Redis when configured).</summary>
    private static async Task<IFrescoEngine> CreateNodeAsync(string connection, FrescoSettings settings, FrescoEngineOptions engine,
        IModelTrainer trainer, Func<ServingModel, ICandidateRetriever?> retrievers, TimeProvider time, ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var node = settings.Cluster.ToOptions(settings.Server);
        var store = await PostgresStore.OpenAsync(connection, new PostgresStoreOptions
        {
            Node = node.Node,
            ChangeRetention = settings.Store.ChangeRetention,
            FeedbackTtl = settings.Store.FeedbackTtl,
            TimeProvider = time,
            Logger = loggers.CreateLogger<PostgresStore>(),
        }, cancellationToken).ConfigureAwait(false);
        ClusterServices? cluster = null;
        try
        {
            var lease = new PostgresTrainerLease(connection, compete: node.Role != ClusterRole.Serve, s_leaseRetry,
                loggers.CreateLogger<PostgresTrainerLease>());
            cluster = new ClusterServices(node, store, store, lease, null);
            if (settings.Cluster.Redis is { } redis)
            {
                cluster = cluster with
                {
                    Bus = await RedisClusterBus.ConnectAsync(redis, settings.Cluster.Channel, loggers.CreateLogger<RedisClusterBus>())
                        .ConfigureAwait(false),
                };
            }
        }
        catch
        {
            await DisposeAsync(store, cluster).ConfigureAwait(false);
            throw;
        }
        return await StartAsync(new FrescoEngineBuilder(store, engine, trainer)
        {
            Time = time,
            Loggers = loggers,
            Retrievers = retrievers,
            OwnsStore = true,
            Cluster = cluster,
        }, store, cluster, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IFrescoEngine> StartAsync(FrescoEngineBuilder builder, IStore store, ClusterServices? cluster,
        CancellationToken cancellationToken)
    {
        try
        {
            return await builder.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await DisposeAsync(store, cluster).ConfigureAwait(false);
            throw;
        }
    }

    private static async Task DisposeAsync(IStore store, ClusterServices? cluster)
    {
        if (cluster is not null)
        {
            await cluster.Lease.DisposeAsync().ConfigureAwait(false);
            if (cluster.Bus is { } bus)
            {
                await bus.DisposeAsync().ConfigureAwait(false);
            }
        }
        await store.DisposeAsync().ConfigureAwait(false);
    }
}
