using Fresco.Engine.Impressions;
using Fresco.Engine.Ingest;
using Fresco.Engine.Models;
using Fresco.Engine.Realtime;
using Fresco.Engine.Scenarios;
using Fresco.Engine.Storage;

namespace Fresco.Engine.Serving;

/// <summary>
/// The engine's answers, from memory only: the view of the model that scores (<see cref="ScenarioModels"/>: the
/// query's or the scenario's model, else the serving one), the choice between the
/// model's user row and a fold-in (<see cref="ModelRows"/>), the per-user result cache and the recommendation
/// pipeline over the shared <see cref="EngineState"/>, under the scenario a query names (<see cref="ScenarioRegistry"/>;
/// a rotation reads what the user was shown from the <see cref="ShownIndex"/>).
/// Null where the subject (user, item, list name) is unknown; an unknown scenario is an <see cref="ArgumentException"/>.
/// Thread-safe: never locks on writers, never waits for I/O except once for a user evicted from memory
/// (<see cref="UserEviction.Load"/>: one store read puts their history back).
/// </summary>
internal sealed class EngineServing
{
    private readonly EngineState _state;
    private readonly LiveOptions _live;
    private readonly int _maxN;
    private readonly ScenarioModels _models;
    private readonly ModelRows _rows;
    private readonly ResultCache _cache;
    private readonly EngineMetrics _metrics;
    private readonly RecommendPipeline _pipeline;
    private readonly Neighbors _neighbors;
    private readonly ScenarioRegistry _scenarios;
    private readonly ShownIndex _shown;
    private readonly TimeProvider _time;
    private readonly UserEviction _eviction;

    /// <summary>The most request parameters (<c>param.name</c>) one request may give.</summary>
    public const int MaxParameters = 32;

    /// <summary>The longest name or value of a request parameter, in characters.</summary>
    public const int MaxParameterLength = 1000;

    public EngineServing(EngineState state, FrescoEngineOptions options, ScenarioModels models, ModelRows rows, ResultCache cache,
        EngineMetrics metrics, ScenarioRegistry scenarios, UserEviction eviction, ShownIndex shown, TimeProvider time)
    {
        _eviction = eviction;
        _shown = shown;
        _scenarios = scenarios;
        _time = time;
        _state = state;
        _live = options.Live;
        _maxN = options.Recommend.MaxN;
        _models = models;
        _rows = rows;
        _cache = cache;
        _metrics = metrics;
        _pipeline = new RecommendPipeline(state.Live, state.Catalog, state.Lists, options.Recommend);
        var bought = 0UL;
        foreach (var type in options.Live.BoughtTogetherEventTypes)
        {
            bought |= state.Live.TypeBit(type);
        }
        _neighbors = new Neighbors(state.Live, state.Catalog, _pipeline, bought, options.Recommend);
    }

    public IReadOnlyList<ScoredId>? Recommend(string userId, RecommendQuery query)
    {
        var scenario = Validate(query);
        if (Snapshot(userId) is not { } snapshot)
        {
            return null;
        }
        var userIndex = snapshot.UserIndex;
        var view = View(query, scenario);
        var generation = _state.Catalog.Generation;
        // A rotating scenario's answer moves with every answer shown, so it is never cached.
        var rotates = scenario is { Rules.RotationFactor: > 0f };
        var rules = Rules(scenario, query, rotates ? _shown.Of(userId) : null);
        var cacheable = _cache.Enabled && (query.Exclude is null || query.Exclude.Count == 0) && !rotates;
        if (cacheable)
        {
            var cached = _cache.TryGet(userId, snapshot, view, generation, query, rules);
            if (cached is not null)
            {
                _metrics.CacheHit();
                return cached;
            }
            _metrics.CacheMiss();
        }
        var modelUser = view is { SameUsers: true } && userIndex < view.Model.UserCount
            && _rows.IsCurrent(view.Serving.Version, userIndex, snapshot.Version) ? userIndex : -1;
        var result = _pipeline.Recommend(view, modelUser, snapshot.Items, snapshot.Weights, snapshot.Consumed, snapshot.Rejected, query,
            rules);
        if (cacheable)
        {
            _cache.Add(userId, snapshot, view, generation, query, rules, result);
        }
        return result;
    }

    public IReadOnlyList<ScoredId> RecommendSession(IReadOnlyList<Feedback> session, RecommendQuery query)
    {
        ArgumentNullException.ThrowIfNull(session);
        var scenario = Validate(query);
        var rules = Rules(scenario, query);
        var pairs = new Dictionary<int, (float Weight, DateTimeOffset Last)>();
        var seen = new List<int>();
        var consumed = new List<int>();
        foreach (var f in session)
        {
            if (f is null || !_state.Live.TryGetItemIndex(f.ItemId, out var item))
            {
                continue;
            }
            pairs.TryGetValue(item, out var pair);
            pairs[item] = (pair.Weight + _live.Weights.WeightOf(f.FeedbackType, (float)f.Value),
                f.Timestamp > pair.Last ? f.Timestamp : pair.Last);
            seen.Add(item);
            if (_live.ConsumedEventTypes.Contains(f.FeedbackType, StringComparer.OrdinalIgnoreCase))
            {
                consumed.Add(item);
            }
        }
        var history = pairs.Where(p => p.Value.Weight > 0).OrderBy(p => p.Value.Last).ThenBy(p => p.Key).ToArray();
        var items = history.Select(p => p.Key).ToArray();
        var weights = history.Select(p => p.Value.Weight).ToArray();
        // Every item the session touched is left out, even one whose summed weight is not positive.
        return _pipeline.Recommend(View(query, scenario), -1, items, weights, consumed.ToArray(), seen.ToArray(), query, rules);
    }

    public IReadOnlyList<ScoredId>? ItemNeighbors(string itemId, RecommendQuery query)
    {
        var scenario = Validate(query);
        var rules = Rules(scenario, query);
        return _state.TryGetItem(itemId, out var item) ? _neighbors.SimilarItems(View(query, scenario), item, query, rules) : null;
    }

    public IReadOnlyList<ScoredId>? UserNeighbors(string userId, RecommendQuery query)
    {
        Validate(query);
        return Snapshot(userId) is { } snapshot ? _neighbors.SimilarUsers(snapshot, query) : null;
    }

    /// <summary>
    /// An existing user's snapshot (null for an unknown user), marking them active; an evicted user's is put back from
    /// the store first, and a user whose slot was released is registered again when the store still holds them. The
    /// snapshot's <see cref="UserSnapshot.UserIndex"/> is the user's index (one owner's both, read together).
    /// </summary>
    private UserSnapshot? Snapshot(string userId)
    {
        ArgumentNullException.ThrowIfNull(userId);
        if (!_state.Live.TryGetUser(userId, out var userIndex, out var snapshot))
        {
            return _state.Live.WasReleased(userId) ? _eviction.LoadReleased(userId) : null;
        }
        _state.Live.Touch(userIndex);
        return snapshot.Evicted ? _eviction.Load(userId, userIndex) : snapshot;
    }

    public IReadOnlyList<ScoredId>? NonPersonalized(string name, RecommendQuery query)
    {
        ArgumentNullException.ThrowIfNull(name);
        var rules = Rules(Validate(query), query);
        var lists = _state.Lists;
        return name.ToLowerInvariant() switch
        {
            "popular" => _pipeline.List(lists.Popular, "popular", query, rules),
            "latest" => _pipeline.List(lists.Latest, "latest", query, rules),
            "trending" => _pipeline.List(lists.Trending, "trending", query, rules),
            _ => null,
        };
    }

    public IReadOnlyList<ScoredId>? ItemToItem(string name, string itemId, RecommendQuery query)
    {
        ArgumentNullException.ThrowIfNull(name);
        var scenario = Validate(query);
        var rules = Rules(scenario, query);
        var similar = string.Equals(name, "similar", StringComparison.OrdinalIgnoreCase);
        if ((!similar && !string.Equals(name, "bought-together", StringComparison.OrdinalIgnoreCase)) || !_state.TryGetItem(itemId, out var item))
        {
            return null;
        }
        return similar ? _neighbors.SimilarItems(View(query, scenario), item, query, rules) : _neighbors.BoughtTogether(item, query, rules);
    }

    /// <summary>At most <see cref="MaxParameters"/> parameters, named, each value at most <see cref="MaxParameterLength"/> characters.</summary>
    private static void ValidateParameters(IReadOnlyDictionary<string, string> parameters)
    {
        if (parameters.Count > MaxParameters)
        {
            throw new ArgumentException($"at most {MaxParameters} request parameters (param.name) are allowed, not {parameters.Count}.");
        }
        if (parameters is Dictionary<string, string> dictionary)
        {
            foreach (var (name, value) in dictionary) // the struct enumerator: no allocation per request
            {
                ValidateParameter(name, value);
            }
            return;
        }
        foreach (var (name, value) in parameters)
        {
            ValidateParameter(name, value);
        }
    }

    private static void ValidateParameter(string name, string? value)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxParameterLength || (value?.Length ?? 0) > MaxParameterLength)
        {
            throw new ArgumentException($"a request parameter needs a name, and name and value at most {MaxParameterLength} characters: 'param.{name}'.");
        }
    }

    /// <summary>Checks the ranges and returns the scenario the query names (null for none); throws <see cref="ArgumentException"/>.</summary>
    private CompiledScenario? Validate(RecommendQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.N < 1 || query.Offset < 0 || (long)query.N + query.Offset > _maxN)
        {
            throw new ArgumentOutOfRangeException(nameof(query), query,
                $"n must be at least 1, offset at least 0, and n + offset at most {_maxN}.");
        }
        if (query.Parameters is { } parameters)
        {
            ValidateParameters(parameters);
        }
        if (string.IsNullOrEmpty(query.Scenario))
        {
            return null;
        }
        return _scenarios.Find(query.Scenario) ?? throw new ArgumentException($"unknown scenario '{query.Scenario}'.");
    }

    private PageRules Rules(CompiledScenario? scenario, RecommendQuery query, ShownItems? shown = null) =>
        scenario is null ? default : PageRules.Of(scenario.Rules, _time.GetUtcNow().UtcTicks, query.Parameters, _state.Catalog, shown);

    /// <summary>The model view that scores: the query's model, else the scenario's, else the serving model.</summary>
    private ModelView? View(RecommendQuery query, CompiledScenario? scenario) =>
        _models.ViewFor(string.IsNullOrEmpty(query.Model) ? scenario?.Rules.Model : ModelChoice.Parse(query.Model, "model"));
}
