namespace Fresco.Engine.Realtime;

/// <summary>What <see cref="LiveInteractions.ApplyIfNew"/> did with an event.</summary>
public enum LiveApplyOutcome
{
    /// <summary>The event was recorded.</summary>
    Recorded,

    /// <summary>The pair already had an event of that type: nothing recorded.</summary>
    Exists,

    /// <summary>The event type has no mask bit (beyond <see cref="LiveInteractions.MaxTrackedTypes"/>), so whether the pair had it is unknown: nothing recorded.</summary>
    Untracked,

    /// <summary>The user's history is out of memory (<see cref="LiveOptions.UserTtl"/>): only trending counted the event; reload the user from the store (whose rows hold it).</summary>
    Evicted,
}
