using Fresco.Core.Models;

namespace Fresco.Engine.Serving;

/// <summary>
/// What a serving model is asked for candidates of: a user (its history in model item indices), or one or more seed
/// items (model item indices, the first ranked first when they are retrieved one by one). Lives on the stack of one call.
/// </summary>
internal readonly ref struct CandidateQuery
{
    private CandidateQuery(bool isUser, UserHistory user, ReadOnlySpan<int> seeds)
    {
        IsUser = isUser;
        User = user;
        Seeds = seeds;
    }

    /// <summary>True: candidates for <see cref="User"/>; false: items similar to <see cref="Seeds"/>.</summary>
    public bool IsUser { get; }

    public UserHistory User { get; }

    public ReadOnlySpan<int> Seeds { get; }

    public static CandidateQuery ForUser(UserHistory user) => new(true, user, []);

    public static CandidateQuery SimilarTo(ReadOnlySpan<int> seeds) => new(false, default, seeds);
}
