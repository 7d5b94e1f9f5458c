using Fresco.Engine.Experiments;
using Fresco.Engine.Impressions;
using Fresco.Engine.Models;
using Fresco.Engine.Queries;
using Fresco.Engine.Scenarios;
using Fresco.Engine.Serving;
using Fresco.Engine.Storage;
using Fresco.Engine.Training;

namespace Fresco.Engine;

/// <summary>
/// The engine a host (the HTTP server, a test, a benchmark) drives, and the only thing it talks to. Writes return once
/// they are durable AND visible to the next recommendation call. Recommendation methods answer from memory, never
/// wait for I/O, and return null where the subject (user, item, name) is unknown. Stored rows (users, items,
/// feedback, model versions) are read from the store through the engine. Thread-safe: every member may be called
/// concurrently.
/// </summary>
public interface IFrescoEngine : IAsyncDisposable
{
    /// <summary>True once the state was loaded from the store (health: ready).</summary>
    bool IsReady { get; }

    /// <summary>Counts, serving model, training, queue depth, cache figures and the node's cluster status, now.</summary>
    EngineStatus GetStatus();

    /// <summary>The cluster as this node sees it: itself, the trainer, every node heard from lately (a node alone: itself).</summary>
    Task<Cluster.ClusterView> GetClusterAsync(CancellationToken cancellationToken = default);

    Task<int> InsertUsersAsync(IReadOnlyList<User> users, CancellationToken cancellationToken = default);

    Task<bool> PatchUserAsync(string userId, UserPatch patch, CancellationToken cancellationToken = default);

    Task<bool> DeleteUserAsync(string userId, CancellationToken cancellationToken = default);

    Task<int> InsertItemsAsync(IReadOnlyList<Item> items, CancellationToken cancellationToken = default);

    Task<bool> PatchItemAsync(string itemId, ItemPatch patch, CancellationToken cancellationToken = default);

    Task<bool> DeleteItemAsync(string itemId, CancellationToken cancellationToken = default);

    Task<bool> AddItemCategoryAsync(string itemId, string category, CancellationToken cancellationToken = default);

    Task<bool> RemoveItemCategoryAsync(string itemId, string category, CancellationToken cancellationToken = default);

    /// <summary>
    /// Gorse's POST (insert, <paramref name="overwrite"/> false) and PUT (overwrite) /feedback; auto-creates users and items.
    /// Feedback that counts as a click, cart or purchase is credited to the answer its <see cref="Feedback.RecommId"/> names
    /// or, without one, to the latest answer that showed the item to the user within the attribution window; the
    /// attributions are stored before the call returns.
    /// </summary>
    Task<int> InsertFeedbackAsync(IReadOnlyList<Feedback> batch, bool overwrite, CancellationToken cancellationToken = default);

    Task<int> DeleteFeedbackAsync(string userId, string itemId, string? feedbackType = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Personalised recommendations for a known user: candidates of the serving model, item-to-item on the newest
    /// history, trending and latest, merged, filtered (consumed, hidden, category, excluded) and ranked, with the
    /// fallback chain filling up to n while the catalog has enough. Null for an unknown user.
    /// </summary>
    IReadOnlyList<ScoredId>? Recommend(string userId, RecommendQuery query);

    /// <summary>Recommendations for an anonymous session given as its feedback (unknown items are ignored).</summary>
    IReadOnlyList<ScoredId> RecommendSession(IReadOnlyList<Feedback> session, RecommendQuery query);

    /// <summary>Items similar to an item. Null for an unknown item.</summary>
    IReadOnlyList<ScoredId>? ItemNeighbors(string itemId, RecommendQuery query);

    /// <summary>Users similar to a user (ids in <see cref="ScoredId.Id"/>). Null for an unknown user.</summary>
    IReadOnlyList<ScoredId>? UserNeighbors(string userId, RecommendQuery query);

    /// <summary>A named non-personalised list ("popular", "latest", "trending"). Null for an unknown name.</summary>
    IReadOnlyList<ScoredId>? NonPersonalized(string name, RecommendQuery query);

    /// <summary>A named item-to-item list ("similar", "bought-together") for an item. Null for an unknown name or item.</summary>
    IReadOnlyList<ScoredId>? ItemToItem(string name, string itemId, RecommendQuery query);

    /// <summary>
    /// Records an answer the host is about to send as an impression and returns its recommendation id (the
    /// <c>X-Recommendation-Id</c>). Never blocks and never fails for lack of room: the impression is noted in memory at
    /// once (rotation, last-touch attribution) and stored in the background; when the writer's queue is full it is shed
    /// and counted (<see cref="EngineStatus.Impressions"/>). The scenario's version is the one served now.
    /// </summary>
    string RecordImpression(ImpressionRequest request);

    /// <summary>A stored impression, or null (also while it is still queued for the writer).</summary>
    Task<Impression?> GetImpressionAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>The stored attributions to one answer.</summary>
    Task<IReadOnlyList<Attribution>> ListAttributionsAsync(string recommId, CancellationToken cancellationToken = default);

    /// <summary>A stored user, or null.</summary>
    Task<User?> GetUserAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>A stored item, or null.</summary>
    Task<Item?> GetItemAsync(string itemId, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="n"/> stored users after <paramref name="cursor"/> (empty: from the start), by id.</summary>
    Task<Page<User>> ListUsersAsync(string cursor, int n, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="n"/> stored items after <paramref name="cursor"/> (empty: from the start), by id.</summary>
    Task<Page<Item>> ListItemsAsync(string cursor, int n, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="n"/> stored feedback rows (of one type when given) after <paramref name="cursor"/>, in insertion order.</summary>
    Task<Page<Feedback>> ListFeedbackAsync(string cursor, int n, string? feedbackType = null, CancellationToken cancellationToken = default);

    /// <summary>A user's stored feedback (of one type when given), in insertion order; null when the user does not exist.</summary>
    Task<IReadOnlyList<Feedback>?> GetUserFeedbackAsync(string userId, string? feedbackType = null, CancellationToken cancellationToken = default);

    /// <summary>An item's stored feedback (of one type when given), in insertion order; null when the item does not exist.</summary>
    Task<IReadOnlyList<Feedback>?> GetItemFeedbackAsync(string itemId, string? feedbackType = null, CancellationToken cancellationToken = default);

    /// <summary>Stored feedback between a user and an item (of one type when given), in insertion order.</summary>
    Task<IReadOnlyList<Feedback>> GetUserItemFeedbackAsync(string userId, string itemId, string? feedbackType = null,
        CancellationToken cancellationToken = default);

    /// <summary>Stored model versions, newest first (the serving one is in <see cref="GetStatus"/>).</summary>
    Task<IReadOnlyList<ModelVersion>> ListModelsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Starts training a candidate on all current data (after the run in progress, if any): it is evaluated on a hold-out
    /// and promoted or rejected. The run goes on whatever happens to the caller (only the engine's disposal stops it); the
    /// task completes with its report, and a failure is logged, so the task need not be observed.
    /// </summary>
    Task<TrainingReport> StartTraining();

    /// <summary>
    /// Starts training (<see cref="StartTraining"/>) and waits for the report. <paramref name="cancellationToken"/> stops
    /// the wait, never the run: a caller that goes away (a proxy's timeout) does not throw the run away.
    /// </summary>
    Task<TrainingReport> TrainNowAsync(CancellationToken cancellationToken = default);

    /// <summary>Serves the previous non-rejected version again.</summary>
    Task<RegistryOutcome> RollbackAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Checks the scenario against every item of the catalog, stores it as a new version and serves it from the next
    /// request on. Throws <see cref="ScenarioException"/> (an <see cref="ArgumentException"/> naming the bad field) for a
    /// scenario that cannot be served; nothing is stored then.
    /// </summary>
    Task<ScenarioVersion> PutScenarioAsync(string name, Scenario scenario, CancellationToken cancellationToken = default);

    /// <summary>The stored scenario's current version, or null.</summary>
    Task<ScenarioVersion?> GetScenarioAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Every stored scenario's current version, by name.</summary>
    Task<IReadOnlyList<ScenarioVersion>> ListScenariosAsync(CancellationToken cancellationToken = default);

    /// <summary>Deletes the scenario (requests naming it are refused from then on); false when it did not exist.</summary>
    Task<bool> DeleteScenarioAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>
    /// "Scenarios changed, reload": serves what the store holds now (new versions compiled, deleted ones dropped). Called
    /// at start, and by a cluster host when another replica announced a change; safe to call at any time and repeatedly.
    /// </summary>
    Task ReloadScenariosAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Checks the experiment (its scenarios served, variants, times, no overlap with another experiment on the same
    /// scenario), stores it (created or replaced) and assigns users by it from the next request on. Throws
    /// <see cref="ExperimentException"/> (an <see cref="ArgumentException"/> naming the bad field); nothing is stored then.
    /// </summary>
    Task<ExperimentInfo> PutExperimentAsync(string name, Experiment experiment, CancellationToken cancellationToken = default);

    /// <summary>The stored experiment, or null.</summary>
    Task<ExperimentInfo?> GetExperimentAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Every stored experiment, by name.</summary>
    Task<IReadOnlyList<ExperimentInfo>> ListExperimentsAsync(CancellationToken cancellationToken = default);

    /// <summary>Deletes the experiment (its scenario's requests answer as the scenario says from then on); false when it did not exist.</summary>
    Task<bool> DeleteExperimentAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>"Experiments changed, reload": assigns by what the store holds now. Safe to call at any time and repeatedly.</summary>
    Task ReloadExperimentsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// The variant of <paramref name="userId"/> in the experiment running now on <paramref name="scenario"/> (sticky: a
    /// hash of experiment and user), or null when none runs. From memory; allocates nothing.
    /// </summary>
    ExperimentAssignment? AssignExperiment(string scenario, string userId);

    /// <summary>
    /// The experiment's results from the per-user outcomes recorded so far (by default the impressions stored with the
    /// experiment and variant, and the feedback attributed to them); null for an unknown experiment.
    /// </summary>
    Task<ExperimentResults?> GetExperimentResultsAsync(string name, CancellationToken cancellationToken = default);
}
