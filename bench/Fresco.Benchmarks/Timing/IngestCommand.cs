using System.Diagnostics;
using System.Globalization;
using Fresco.Engine.Storage;
using Fresco.Storage.Postgres;
using Fresco.Storage.Sqlite;
using Npgsql;

using static Fresco.Benchmarks.Timing.CommandArgs;

namespace Fresco.Benchmarks.Timing;

/// <summary>
/// Durable ingestion rate of a store:
/// <c>ingest [--events 200000] [--batch 100] [--writers 64] [--store sqlite] [--connection "Host=...;Username=..."]</c>.
/// Random <c>click</c> feedback (50k users x 20k items) is inserted by concurrent writers in batches; every call returns
/// only after its batch is committed (SQLite: WAL, synchronous=FULL; PostgreSQL: the server's commit settings).
/// <c>--store</c> and <c>--writers</c> take comma lists (<c>--store sqlite,postgres --writers 1,64</c>) and run each pair
/// on a fresh store: a temp folder, or a database created with a random name on the <c>--connection</c> server and
/// dropped after. Not thread-safe (a console entry point).
/// </summary>
internal static class IngestCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var total = Int(args, "--events", 200_000);
        var batchSize = Int(args, "--batch", 100);
        var connection = Option(args, "--connection", "");
        foreach (var storeName in Option(args, "--store", "sqlite").Split(','))
        {
            foreach (var writers in Option(args, "--writers", "64").Split(',').Select(w => int.Parse(w, CultureInfo.InvariantCulture)))
            {
                if (storeName == "postgres" && connection.Length == 0)
                {
                    Console.Error.WriteLine("ingest: --store postgres needs --connection (a server where the user may create databases)");
                    return 2;
                }

                await using var scratch = storeName switch
                {
                    "sqlite" => await Scratch.SqliteAsync(),
                    "postgres" => await Scratch.PostgresAsync(connection),
                    _ => throw new ArgumentException($"Unknown store '{storeName}' (sqlite or postgres)."),
                };
                await RunOnceAsync(storeName, scratch.Store, total, batchSize, writers);
            }
        }

        return 0;
    }

    private static async Task RunOnceAsync(string storeName, IStore store, int total, int batchSize, int writers)
    {
        var now = DateTimeOffset.UtcNow;
        var random = new Random(42);
        var batches = Enumerable.Range(0, total / batchSize)
            .Select(_ => Enumerable.Range(0, batchSize)
                .Select(_ => new Feedback("click", $"u{random.Next(50_000)}", $"i{random.Next(20_000)}", 1, now)).ToArray())
            .ToArray();
        await store.InsertFeedbackAsync(batches[0], overwrite: false);
        var next = 0;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(_ => Task.Run(async () =>
        {
            int b;
            while ((b = Interlocked.Increment(ref next)) < batches.Length)
            {
                await store.InsertFeedbackAsync(batches[b], overwrite: false);
            }
        })));
        watch.Stop();
        var events = (batches.Length - 1) * batchSize;
        var stored = await store.CountFeedbackAsync();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ingest {storeName}: {events} events, batches of {batchSize}, {writers} writers: {watch.Elapsed.TotalSeconds:F2} s, {events / watch.Elapsed.TotalSeconds:F0} events/s durable; stored {stored}"));
    }

    /// <summary>A store opened on fresh storage, removed on dispose.</summary>
    private sealed class Scratch(IStore store, Func<Task> cleanup) : IAsyncDisposable
    {
        public IStore Store { get; } = store;

        public static async Task<Scratch> SqliteAsync()
        {
            var folder = Path.Combine(Path.GetTempPath(), "fresco-ingest-" + Guid.NewGuid().ToString("N"));
            return new Scratch(await SqliteStore.OpenAsync(folder), () =>
            {
                if (Directory.Exists(folder))
                {
                    Directory.Delete(folder, recursive: true);
                }

                return Task.CompletedTask;
            });
        }

        public static async Task<Scratch> PostgresAsync(string adminConnectionString)
        {
            var name = "fresco_ingest_" + Guid.NewGuid().ToString("N");
            await ExecuteAsync(adminConnectionString, $"CREATE DATABASE {name}");
            var connection = new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = name }.ConnectionString;
            return new Scratch(await PostgresStore.OpenAsync(connection), () => ExecuteAsync(adminConnectionString, $"DROP DATABASE {name} WITH (FORCE)"));
        }

        public async ValueTask DisposeAsync()
        {
            await Store.DisposeAsync();
            await cleanup();
        }

        private static async Task ExecuteAsync(string connectionString, string sql)
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }
    }
}
