using System.Globalization;

namespace Fresco.Storage.Sqlite;

/// <summary>The SQL schema of <see cref="SqliteStore"/>. Thread-safe (constants).</summary>
internal static class SqliteSchema
{
    public const string Pragmas = """
        PRAGMA journal_mode = WAL;
        PRAGMA synchronous = FULL;
        PRAGMA foreign_keys = OFF;
        PRAGMA temp_store = MEMORY;
        PRAGMA wal_autocheckpoint = 0;
        """;

    /// <summary>The writer's page cache bound (a negative cache_size is in KiB).</summary>
    public static string CacheSize(int mebibytes) =>
        string.Create(CultureInfo.InvariantCulture, $"PRAGMA cache_size = -{mebibytes * 1024L};\n");

    public const string Tables = """
        CREATE TABLE IF NOT EXISTS users (
            user_id TEXT NOT NULL PRIMARY KEY,
            labels TEXT NOT NULL,
            comment TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS items (
            item_id TEXT NOT NULL PRIMARY KEY,
            is_hidden INTEGER NOT NULL,
            categories TEXT NOT NULL,
            labels TEXT NOT NULL,
            comment TEXT NOT NULL,
            timestamp INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS feedback (
            seq INTEGER PRIMARY KEY,
            feedback_type TEXT NOT NULL,
            user_id TEXT NOT NULL,
            item_id TEXT NOT NULL,
            value REAL NOT NULL,
            timestamp INTEGER NOT NULL
        );
        CREATE UNIQUE INDEX IF NOT EXISTS feedback_key ON feedback (user_id, item_id, feedback_type);
        CREATE INDEX IF NOT EXISTS feedback_item ON feedback (item_id, feedback_type);
        CREATE INDEX IF NOT EXISTS feedback_type_seq ON feedback (feedback_type, seq);
        -- Migration "feedback_timestamp index" (feedback TTL): the oldest rows, found without a scan.
        CREATE INDEX IF NOT EXISTS feedback_timestamp ON feedback (timestamp);
        CREATE TABLE IF NOT EXISTS models (
            version INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            created INTEGER NOT NULL,
            metrics TEXT NOT NULL,
            size INTEGER NOT NULL,
            serving INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE IF NOT EXISTS scenarios (
            name TEXT NOT NULL PRIMARY KEY,
            version INTEGER NOT NULL,
            definition TEXT NOT NULL,
            updated INTEGER NOT NULL,
            deleted INTEGER NOT NULL DEFAULT 0
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS experiments (
            name TEXT NOT NULL PRIMARY KEY,
            definition TEXT NOT NULL,
            updated INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS impressions (
            id TEXT NOT NULL PRIMARY KEY,
            user_id TEXT,
            scenario TEXT,
            scenario_version INTEGER,
            experiment TEXT,
            variant TEXT,
            items TEXT NOT NULL,
            time INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS impressions_time ON impressions (time);
        CREATE INDEX IF NOT EXISTS impressions_experiment ON impressions (experiment, user_id, variant) WHERE experiment IS NOT NULL;
        CREATE INDEX IF NOT EXISTS impressions_user ON impressions (user_id, time) WHERE user_id IS NOT NULL;
        CREATE TABLE IF NOT EXISTS attributions (
            recomm_id TEXT NOT NULL,
            feedback_type TEXT NOT NULL,
            user_id TEXT NOT NULL,
            item_id TEXT NOT NULL,
            kind INTEGER NOT NULL,
            value REAL NOT NULL,
            time INTEGER NOT NULL,
            PRIMARY KEY (recomm_id, feedback_type, user_id, item_id)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS attributions_time ON attributions (time);
        """;
}
