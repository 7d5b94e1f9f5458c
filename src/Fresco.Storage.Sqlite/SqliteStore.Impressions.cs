using Fresco.Engine.Storage;
using Microsoft.Data.Sqlite;
using static Fresco.Storage.Sqlite.SqliteRows;

namespace Fresco.Storage.Sqlite;

/// <summary>
/// The <see cref="IImpressionStore"/> part of <see cref="SqliteStore"/>: one row per impression (its items as a JSON
/// array), one per attribution; the outcomes of an experiment are one grouped join over the experiment's index.
/// </summary>
public sealed partial class SqliteStore
{
    private const string ImpressionColumns = "id, user_id, scenario, scenario_version, experiment, variant, items, time";
    private const string AttributionColumns = "recomm_id, user_id, item_id, feedback_type, kind, value, time";

    private const string OutcomesSql = """
        SELECT i.user_id, i.variant, count(*),
            coalesce(sum(a.clicks), 0), coalesce(sum(a.carts), 0), coalesce(sum(a.purchases), 0), coalesce(sum(a.revenue), 0.0)
        FROM impressions i
        LEFT JOIN (
            SELECT recomm_id, sum(kind = 1) AS clicks, sum(kind = 2) AS carts, sum(kind = 3) AS purchases,
                sum(CASE WHEN kind = 3 THEN value ELSE 0.0 END) AS revenue
            FROM attributions GROUP BY recomm_id
        ) a ON a.recomm_id = i.id
        WHERE i.experiment = $experiment AND i.user_id IS NOT NULL AND i.variant IS NOT NULL
        GROUP BY i.user_id, i.variant
        ORDER BY i.user_id, i.variant
        """;

    public Task InsertImpressionsAsync(IReadOnlyList<Impression> impressions, CancellationToken cancellationToken = default)
    {
        StoreValidation.Impressions(impressions);
        return WriteAsync(tx =>
        {
            var insert = WriterCommand($"INSERT INTO impressions ({ImpressionColumns}) VALUES ($id, $user, $scenario, $version, $experiment, $variant, $items, $time) ON CONFLICT DO NOTHING",
                tx, "$id", "$user", "$scenario", "$version", "$experiment", "$variant", "$items", "$time");
            var p = insert.Parameters;
            foreach (var impression in impressions)
            {
                p[0].Value = impression.Id;
                p[1].Value = Nullable(impression.UserId);
                p[2].Value = Nullable(impression.Scenario);
                p[3].Value = Nullable(impression.ScenarioVersion);
                p[4].Value = Nullable(impression.Experiment);
                p[5].Value = Nullable(impression.Variant);
                p[6].Value = Json([.. impression.ItemIds]);
                p[7].Value = Ticks(impression.Time);
                insert.ExecuteNonQuery();
            }
            return 0;
        }, cancellationToken);
    }

    public async Task<Impression?> GetImpressionAsync(string id, CancellationToken cancellationToken = default)
    {
        StoreValidation.Id(id, nameof(id));
        var rows = await QueryAsync($"SELECT {ImpressionColumns} FROM impressions WHERE id = $id", Impression, cancellationToken, ("$id", id))
            .ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task<IReadOnlyList<Impression>> ListRecentImpressionsAsync(DateTimeOffset since, int limit, CancellationToken cancellationToken = default)
    {
        StoreValidation.PageSize(limit);
        return await QueryAsync($"""
            SELECT {ImpressionColumns} FROM impressions WHERE time >= $since AND user_id IS NOT NULL ORDER BY time DESC, id DESC LIMIT $limit
            """, Impression, cancellationToken, ("$since", Ticks(since)), ("$limit", (long)limit)).ConfigureAwait(false);
    }

    public async Task<string?> FindLastShownAsync(string userId, string itemId, DateTimeOffset from, DateTimeOffset to,
        CancellationToken cancellationToken = default)
    {
        StoreValidation.Id(userId, nameof(userId));
        StoreValidation.Id(itemId, nameof(itemId));
        var rows = await QueryAsync("""
            SELECT id FROM impressions WHERE user_id = $user AND time BETWEEN $from AND $to
                AND EXISTS (SELECT 1 FROM json_each(items) WHERE value = $item)
            ORDER BY time DESC, id DESC LIMIT 1
            """, static r => r.GetString(0), cancellationToken, ("$user", userId), ("$item", itemId), ("$from", Ticks(from)), ("$to", Ticks(to)))
            .ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    public Task<int> DeleteImpressionsBeforeAsync(DateTimeOffset cutoff, int max, CancellationToken cancellationToken = default)
    {
        StoreValidation.DeleteBatch(max);
        return WriteAsync(tx =>
        {
            // Each through its time index: the oldest rows first, at most max of each.
            var impressions = WriterCommand("""
                DELETE FROM impressions WHERE id IN (SELECT id FROM impressions WHERE time < $cutoff ORDER BY time LIMIT $max)
                """, tx, "$cutoff", "$max");
            var attributions = WriterCommand("""
                DELETE FROM attributions WHERE (recomm_id, feedback_type, user_id, item_id) IN
                    (SELECT recomm_id, feedback_type, user_id, item_id FROM attributions WHERE time < $cutoff ORDER BY time LIMIT $max)
                """, tx, "$cutoff", "$max");
            var deleted = 0;
            foreach (var command in new[] { impressions, attributions })
            {
                command.Parameters[0].Value = Ticks(cutoff);
                command.Parameters[1].Value = (long)max;
                deleted += command.ExecuteNonQuery();
            }
            return deleted;
        }, cancellationToken);
    }

    public Task<int> InsertAttributionsAsync(IReadOnlyList<Attribution> attributions, CancellationToken cancellationToken = default)
    {
        StoreValidation.Attributions(attributions);
        return WriteAsync(tx =>
        {
            var insert = WriterCommand($"INSERT INTO attributions ({AttributionColumns}) VALUES ($recomm, $user, $item, $type, $kind, $value, $time) ON CONFLICT DO NOTHING",
                tx, "$recomm", "$user", "$item", "$type", "$kind", "$value", "$time");
            var p = insert.Parameters;
            var added = 0;
            foreach (var a in attributions)
            {
                p[0].Value = a.RecommId;
                p[1].Value = a.UserId;
                p[2].Value = a.ItemId;
                p[3].Value = a.FeedbackType;
                p[4].Value = (int)a.Kind;
                p[5].Value = a.Value;
                p[6].Value = Ticks(a.Time);
                added += insert.ExecuteNonQuery();
            }
            return added;
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<Attribution>> ListAttributionsAsync(string recommId, CancellationToken cancellationToken = default)
    {
        StoreValidation.Id(recommId, nameof(recommId));
        return await QueryAsync($"""
            SELECT {AttributionColumns} FROM attributions WHERE recomm_id = $recomm ORDER BY time, feedback_type, user_id, item_id
            """, Attribution, cancellationToken, ("$recomm", recommId)).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<ExperimentUserOutcome>> GetExperimentOutcomesAsync(string experiment, CancellationToken cancellationToken = default)
    {
        StoreValidation.Id(experiment, nameof(experiment));
        return await QueryAsync(OutcomesSql, static r => new ExperimentUserOutcome(r.GetString(0), r.GetString(1), r.GetInt64(2), r.GetInt64(3),
            r.GetInt64(4), r.GetInt64(5), r.GetDouble(6)), cancellationToken, ("$experiment", experiment)).ConfigureAwait(false);
    }

    private static Impression Impression(SqliteDataReader r) => new(r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1),
        r.IsDBNull(2) ? null : r.GetString(2), r.IsDBNull(3) ? null : r.GetInt64(3), r.IsDBNull(4) ? null : r.GetString(4),
        r.IsDBNull(5) ? null : r.GetString(5), Strings(r.GetString(6)), Time(r.GetInt64(7)));

    private static Attribution Attribution(SqliteDataReader r) => new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3),
        (AttributionKind)r.GetInt32(4), r.GetDouble(5), Time(r.GetInt64(6)));
}
