using Fresco.Engine.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Fresco.Storage.Postgres;

/// <summary>
/// The <see cref="IImpressionStore"/> part of <see cref="PostgresStore"/>: one row per impression (its items as a
/// <c>text[]</c>), one per attribution, each batch one round trip on the writer connection. Not in the change log: no
/// node serves from another node's impressions (see cluster.md).
/// </summary>
public sealed partial class PostgresStore
{
    private const string ImpressionColumns = "id, user_id, scenario, scenario_version, experiment, variant, items, ts";
    private const string AttributionColumns = "recomm_id, user_id, item_id, feedback_type, kind, value, ts";

    internal const string OutcomesSql = """
        SELECT i.user_id, i.variant, count(*),
            coalesce(sum(a.clicks), 0)::bigint, coalesce(sum(a.carts), 0)::bigint, coalesce(sum(a.purchases), 0)::bigint,
            coalesce(sum(a.revenue), 0)::double precision
        FROM impressions i
        LEFT JOIN LATERAL (
            SELECT count(*) FILTER (WHERE kind = 1) AS clicks, count(*) FILTER (WHERE kind = 2) AS carts,
                count(*) FILTER (WHERE kind = 3) AS purchases, coalesce(sum(value) FILTER (WHERE kind = 3), 0) AS revenue
            FROM attributions WHERE recomm_id = i.id
        ) a ON true
        WHERE i.experiment = @experiment AND i.user_id IS NOT NULL AND i.variant IS NOT NULL
        GROUP BY i.user_id, i.variant
        ORDER BY i.user_id, i.variant
        """;

    public Task InsertImpressionsAsync(IReadOnlyList<Impression> impressions, CancellationToken cancellationToken = default)
    {
        StoreValidation.Impressions(impressions);
        if (impressions.Count == 0)
        {
            return Task.CompletedTask;
        }
        return WriteAsync(async (connection, transaction) =>
        {
            await using var batch = new NpgsqlBatch(connection, transaction);
            foreach (var impression in impressions)
            {
                var command = new NpgsqlBatchCommand(
                    $"INSERT INTO impressions ({ImpressionColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING");
                command.Parameters.Add(new NpgsqlParameter<string>() { TypedValue = impression.Id });
                command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = PostgresRows.Nullable(impression.UserId) });
                command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = PostgresRows.Nullable(impression.Scenario) });
                command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bigint, Value = PostgresRows.Nullable(impression.ScenarioVersion) });
                command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = PostgresRows.Nullable(impression.Experiment) });
                command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = PostgresRows.Nullable(impression.Variant) });
                command.Parameters.Add(new NpgsqlParameter<string[]>() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, TypedValue = [.. impression.ItemIds] });
                command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>() { TypedValue = PostgresRows.Utc(impression.Time) });
                batch.BatchCommands.Add(command);
            }
            await batch.ExecuteNonQueryAsync().ConfigureAwait(false);
            return 0;
        }, cancellationToken);
    }

    public async Task<Impression?> GetImpressionAsync(string id, CancellationToken cancellationToken = default)
    {
        StoreValidation.Id(id, nameof(id));
        var rows = await QueryAsync($"SELECT {ImpressionColumns} FROM impressions WHERE id = @id", Impression, cancellationToken, ("id", id))
            .ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task<IReadOnlyList<Impression>> ListRecentImpressionsAsync(DateTimeOffset since, int limit, CancellationToken cancellationToken = default)
    {
        StoreValidation.PageSize(limit);
        return await QueryAsync($"""
            SELECT {ImpressionColumns} FROM impressions WHERE ts >= @since AND user_id IS NOT NULL ORDER BY ts DESC, id DESC LIMIT @limit
            """, Impression, cancellationToken, ("since", PostgresRows.Utc(since)), ("limit", limit)).ConfigureAwait(false);
    }

    public async Task<string?> FindLastShownAsync(string userId, string itemId, DateTimeOffset from, DateTimeOffset to,
        CancellationToken cancellationToken = default)
    {
        StoreValidation.Id(userId, nameof(userId));
        StoreValidation.Id(itemId, nameof(itemId));
        var rows = await QueryAsync("""
            SELECT id FROM impressions WHERE user_id = @user AND ts BETWEEN @from AND @to AND @item = ANY (items)
            ORDER BY ts DESC, id DESC LIMIT 1
            """, static r => r.GetString(0), cancellationToken, ("user", userId), ("item", itemId), ("from", PostgresRows.Utc(from)),
            ("to", PostgresRows.Utc(to))).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    public Task<int> DeleteImpressionsBeforeAsync(DateTimeOffset cutoff, int max, CancellationToken cancellationToken = default)
    {
        StoreValidation.DeleteBatch(max);
        return WriteAsync(async (connection, transaction) =>
        {
            // Each through its time index: the oldest rows first, at most max of each, in one round trip.
            await using var command = Command(connection, """
                WITH impressions_gone AS (
                    DELETE FROM impressions WHERE id IN (SELECT id FROM impressions WHERE ts < @cutoff ORDER BY ts LIMIT @max) RETURNING 1
                ), attributions_gone AS (
                    DELETE FROM attributions WHERE (recomm_id, feedback_type, user_id, item_id) IN
                        (SELECT recomm_id, feedback_type, user_id, item_id FROM attributions WHERE ts < @cutoff ORDER BY ts LIMIT @max)
                    RETURNING 1
                )
                SELECT (SELECT count(*) FROM impressions_gone) + (SELECT count(*) FROM attributions_gone)
                """, transaction);
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("cutoff", PostgresRows.Utc(cutoff)));
            command.Parameters.Add(new NpgsqlParameter<int>("max", max));
            return (int)(long)(await command.ExecuteScalarAsync().ConfigureAwait(false))!;
        }, cancellationToken);
    }

    public Task<int> InsertAttributionsAsync(IReadOnlyList<Attribution> attributions, CancellationToken cancellationToken = default)
    {
        StoreValidation.Attributions(attributions);
        if (attributions.Count == 0)
        {
            return Task.FromResult(0);
        }
        return WriteAsync(async (connection, transaction) =>
        {
            await using var command = Command(connection, $"""
                INSERT INTO attributions ({AttributionColumns})
                SELECT * FROM unnest(@recomms, @users, @items, @types, @kinds, @values, @times)
                ON CONFLICT (recomm_id, feedback_type, user_id, item_id) DO NOTHING
                """, transaction);
            var p = command.Parameters;
            p.Add(new NpgsqlParameter<string[]>("recomms", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = [.. attributions.Select(a => a.RecommId)] });
            p.Add(new NpgsqlParameter<string[]>("users", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = [.. attributions.Select(a => a.UserId)] });
            p.Add(new NpgsqlParameter<string[]>("items", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = [.. attributions.Select(a => a.ItemId)] });
            p.Add(new NpgsqlParameter<string[]>("types", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = [.. attributions.Select(a => a.FeedbackType)] });
            p.Add(new NpgsqlParameter<short[]>("kinds", NpgsqlDbType.Array | NpgsqlDbType.Smallint) { TypedValue = [.. attributions.Select(a => (short)a.Kind)] });
            p.Add(new NpgsqlParameter<double[]>("values", NpgsqlDbType.Array | NpgsqlDbType.Double) { TypedValue = [.. attributions.Select(a => a.Value)] });
            p.Add(new NpgsqlParameter<DateTimeOffset[]>("times", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz)
            {
                TypedValue = [.. attributions.Select(a => PostgresRows.Utc(a.Time))],
            });
            return await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<Attribution>> ListAttributionsAsync(string recommId, CancellationToken cancellationToken = default)
    {
        StoreValidation.Id(recommId, nameof(recommId));
        return await QueryAsync($"""
            SELECT {AttributionColumns} FROM attributions WHERE recomm_id = @recomm ORDER BY ts, feedback_type, user_id, item_id
            """, Attribution, cancellationToken, ("recomm", recommId)).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<ExperimentUserOutcome>> GetExperimentOutcomesAsync(string experiment, CancellationToken cancellationToken = default)
    {
        StoreValidation.Id(experiment, nameof(experiment));
        return await QueryAsync(OutcomesSql, static r => new ExperimentUserOutcome(r.GetString(0), r.GetString(1), r.GetInt64(2), r.GetInt64(3),
            r.GetInt64(4), r.GetInt64(5), r.GetDouble(6)), cancellationToken, ("experiment", experiment)).ConfigureAwait(false);
    }

    private static Impression Impression(NpgsqlDataReader r) => new(r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1),
        r.IsDBNull(2) ? null : r.GetString(2), r.IsDBNull(3) ? null : r.GetInt64(3), r.IsDBNull(4) ? null : r.GetString(4),
        r.IsDBNull(5) ? null : r.GetString(5), r.GetFieldValue<string[]>(6), PostgresRows.Time(r, 7));

    private static Attribution Attribution(NpgsqlDataReader r) => new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3),
        (AttributionKind)r.GetInt16(4), r.GetDouble(5), PostgresRows.Time(r, 6));
}
