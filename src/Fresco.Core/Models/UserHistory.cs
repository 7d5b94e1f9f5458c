namespace Fresco.Core.Models;

/// <summary>
/// What a model knows of one user at request time: the user's index in the model (or -1 when the model has
/// never seen the user) and the items the user interacted with, with their weights, oldest first.
/// </summary>
public readonly ref struct UserHistory
{
    public UserHistory(int userIndex, ReadOnlySpan<int> items, ReadOnlySpan<float> weights)
    {
        if (weights.Length != items.Length)
        {
            throw new ArgumentException("Items and weights must have the same length.", nameof(weights));
        }
        UserIndex = userIndex;
        Items = items;
        Weights = weights;
    }

    /// <summary>The user's row in the model, or -1 for a user the model was not trained on.</summary>
    public int UserIndex { get; }

    public ReadOnlySpan<int> Items { get; }

    public ReadOnlySpan<float> Weights { get; }

    /// <summary>A user known only by their history (anonymous, session or brand-new user).</summary>
    public static UserHistory Anonymous(ReadOnlySpan<int> items, ReadOnlySpan<float> weights) => new(-1, items, weights);

    /// <summary>A known user whose history is row <paramref name="userIndex"/> of <paramref name="userItems"/>.</summary>
    public static UserHistory FromMatrix(Data.CsrMatrix userItems, int userIndex) =>
        userIndex < userItems.Rows
            ? new(userIndex, userItems.RowIndices(userIndex), userItems.RowValues(userIndex))
            : new(userIndex, [], []);
}
