using Fresco.Engine.Storage;

namespace Fresco.Engine.Cluster;

/// <summary>What a committed store write changed, as the other replicas of a cluster must learn it.</summary>
public enum ChangeKind : byte
{
    /// <summary>A feedback row was inserted (<see cref="Change.Feedback"/>); replicas apply it unless they hold the key.</summary>
    Feedback = 1,

    /// <summary>The user's stored feedback was replaced or cut (overwrite, delete): replicas reload it from the store.</summary>
    UserHistory = 2,

    /// <summary>The user was inserted.</summary>
    User = 3,

    /// <summary>The user and their feedback were deleted.</summary>
    UserDeleted = 4,

    /// <summary>The item was inserted, changed or deleted: replicas reload it from the store.</summary>
    Item = 5,

    /// <summary>The serving model changed to <see cref="Change.Version"/> (promotion, rollback).</summary>
    Model = 6,

    /// <summary>The scenario named <see cref="Change.Key"/> was put or deleted: replicas reload the scenarios.</summary>
    Scenario = 7,

    /// <summary>The experiment named <see cref="Change.Key"/> was put or deleted: replicas reload the experiments.</summary>
    Experiment = 8,
}

/// <summary>
/// One committed change: the kind, the user or item id it is about (<see cref="Key"/>; empty for a model), the
/// feedback row of a <see cref="ChangeKind.Feedback"/> change, the version of a <see cref="ChangeKind.Model"/> change.
/// Immutable.
/// </summary>
public sealed record Change(ChangeKind Kind, string Key, Feedback? Feedback = null, long Version = 0)
{
    public static Change Inserted(Feedback feedback) => new(ChangeKind.Feedback, feedback.UserId, feedback);

    public static Change History(string userId) => new(ChangeKind.UserHistory, userId);

    public static Change UserAdded(string userId) => new(ChangeKind.User, userId);

    public static Change UserRemoved(string userId) => new(ChangeKind.UserDeleted, userId);

    public static Change ItemChanged(string itemId) => new(ChangeKind.Item, itemId);

    public static Change Serving(long version) => new(ChangeKind.Model, "", Version: version);

    public static Change ScenarioChanged(string name) => new(ChangeKind.Scenario, name);

    public static Change ExperimentChanged(string name) => new(ChangeKind.Experiment, name);
}

/// <summary>Changes from one node (<see cref="Origin"/>), in commit order: the unit the bus carries. Immutable.</summary>
public sealed record ChangeBatch(string Origin, IReadOnlyList<Change> Changes);
